package io.tern.remoting.acl;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * A remote-address whitelist entry of {@code acl.yaml}, in the forms RocketMQ's plain ACL accepts:
 * <ul>
 *   <li>blank or absent: matches nothing;</li>
 *   <li>{@code *} or {@code *.*.*.*} (or {@code *:*:*:*:*:*:*:*}): matches every address;</li>
 *   <li>one address, IPv4 or IPv6: {@code 192.168.0.1}, {@code ::1};</li>
 *   <li>a list: {@code 192.168.0.1,192.168.0.2}, or braces in the last part: {@code 192.168.1.{1,2,3}};</li>
 *   <li>IPv4 ranges per part, each {@code *}, {@code a-b} or a number: {@code 192.168.*.*}, {@code 10.0.1.100-200}.</li>
 * </ul>
 * A malformed entry is an {@link IllegalArgumentException} when the file is read, never a silent mismatch.
 *
 * <p>Immutable, thread-safe.
 */
public final class AddressPattern {
    private static final AddressPattern NONE = new AddressPattern("", Kind.NONE, Set.of(), null);
    private static final AddressPattern ALL = new AddressPattern("*", Kind.ALL, Set.of(), null);

    private enum Kind { NONE, ALL, SET, RANGE }

    private final String text;
    private final Kind kind;
    /** SET: canonical addresses. */
    private final Set<String> addresses;
    /** RANGE: low and high bound of each IPv4 part. */
    private final int[][] parts;

    private AddressPattern(String text, Kind kind, Set<String> addresses, int[][] parts) {
        this.text = text;
        this.kind = kind;
        this.addresses = addresses;
        this.parts = parts;
    }

    public static AddressPattern parse(String text) {
        if (text == null || text.isBlank()) {
            return NONE;
        }
        String t = text.trim();
        if (t.equals("*") || t.equals("*.*.*.*") || t.equals("*:*:*:*:*:*:*:*")) {
            return ALL;
        }
        if (t.endsWith("}")) {
            int open = t.lastIndexOf('{');
            if (open < 0) {
                throw bad(t);
            }
            String head = t.substring(0, open);
            List<String> list = new ArrayList<>();
            for (String last : t.substring(open + 1, t.length() - 1).split(",")) {
                list.add(head + last.trim());
            }
            return set(t, list);
        }
        if (t.contains(",")) {
            return set(t, List.of(t.split(",")));
        }
        if (t.contains("*") || (t.contains("-") && !t.contains(":"))) {
            return range(t);
        }
        return set(t, List.of(t));
    }

    /** Whether {@code ip} (an address without port, as a connection reports it) matches. */
    public boolean matches(String ip) {
        return switch (kind) {
            case NONE -> false;
            case ALL -> true;
            case SET -> addresses.contains(canonical(ip, false));
            case RANGE -> inRange(ip);
        };
    }

    private boolean inRange(String ip) {
        String[] octets = ip.split("\\.");
        if (octets.length != 4) {
            return false;
        }
        for (int i = 0; i < 4; i++) {
            int value;
            try {
                value = Integer.parseInt(octets[i]);
            } catch (NumberFormatException e) {
                return false;
            }
            if (value < parts[i][0] || value > parts[i][1]) {
                return false;
            }
        }
        return true;
    }

    private static AddressPattern set(String text, List<String> list) {
        Set<String> canonical = list.stream().map(String::trim).map(a -> canonical(a, true))
                .collect(Collectors.toUnmodifiableSet());
        return new AddressPattern(text, Kind.SET, canonical, null);
    }

    private static AddressPattern range(String text) {
        String[] items = text.split("\\.", -1);
        if (items.length != 4) {
            throw bad(text);
        }
        int[][] bounds = new int[4][];
        for (int i = 0; i < 4; i++) {
            String item = items[i].trim();
            try {
                if (item.equals("*")) {
                    bounds[i] = new int[] {0, 255};
                } else if (item.contains("-")) {
                    String[] ends = item.split("-", -1);
                    bounds[i] = new int[] {Integer.parseInt(ends[0].trim()), Integer.parseInt(ends[1].trim())};
                } else {
                    int v = Integer.parseInt(item);
                    bounds[i] = new int[] {v, v};
                }
            } catch (NumberFormatException | ArrayIndexOutOfBoundsException e) {
                throw bad(text);
            }
            if (bounds[i][0] < 0 || bounds[i][1] > 255 || bounds[i][0] > bounds[i][1]) {
                throw bad(text);
            }
        }
        return new AddressPattern(text, Kind.RANGE, Set.of(), bounds);
    }

    /**
     * One textual form per address: IPv4 as dotted decimal, IPv6 as {@link InetAddress} prints it. Only literal
     * addresses are accepted (no name look-up); for a connection's address a non-literal stays as it is.
     */
    private static String canonical(String address, boolean strict) {
        String a = address.startsWith("[") && address.endsWith("]") ? address.substring(1, address.length() - 1)
                : address;
        if (a.contains(":")) {
            try {
                // a string with a colon is parsed as an IPv6 literal, never looked up
                return InetAddress.getByName(a).getHostAddress();
            } catch (UnknownHostException | IllegalArgumentException e) {
                if (strict) {
                    throw bad(address);
                }
                return a;
            }
        }
        String[] octets = a.split("\\.", -1);
        boolean valid = octets.length == 4;
        StringBuilder dotted = new StringBuilder(15);
        for (int i = 0; valid && i < 4; i++) {
            try {
                int v = Integer.parseInt(octets[i]);
                valid = v >= 0 && v <= 255 && !octets[i].startsWith("+");
                dotted.append(i == 0 ? "" : ".").append(v);
            } catch (NumberFormatException e) {
                valid = false;
            }
        }
        if (!valid && strict) {
            throw bad(address);
        }
        return valid ? dotted.toString() : a;
    }

    private static IllegalArgumentException bad(String text) {
        return new IllegalArgumentException("not a remote address pattern: '" + text + "'");
    }

    @Override
    public String toString() {
        return text;
    }
}

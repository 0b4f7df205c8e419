package io.tern.common.message;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The properties string of a message: {@code name U+0001 value U+0002 ...} (spec 5.1.2).
 *
 * <p>Parsing accepts a trailing separator or none (4.9.3–5.1 clients omit it), drops segments without a
 * name/value separator or with an empty value, and lets later duplicates win, as the reference parser does.
 */
public final class MessageProperties {
    public static final char NAME_VALUE_SEPARATOR = '\u0001';
    public static final char PROPERTY_SEPARATOR = '\u0002';

    public static Map<String, String> parse(String properties) {
        Map<String, String> map = new LinkedHashMap<>();
        if (properties == null || properties.isEmpty()) {
            return map;
        }
        int len = properties.length();
        int start = 0;
        while (start < len) {
            int end = properties.indexOf(PROPERTY_SEPARATOR, start);
            if (end < 0) {
                end = len;
            }
            if (end - start >= 3) {
                int sep = properties.indexOf(NAME_VALUE_SEPARATOR, start);
                if (sep > start && sep < end - 1) {
                    map.put(properties.substring(start, sep), properties.substring(sep + 1, end));
                }
            }
            start = end + 1;
        }
        return map;
    }

    /** Encodes without a trailing separator, like the 4.9 client. */
    public static String encode(Map<String, String> properties) {
        if (properties == null || properties.isEmpty()) {
            return "";
        }
        StringBuilder sb = new StringBuilder(properties.size() * 24);
        for (Map.Entry<String, String> e : properties.entrySet()) {
            if (e.getValue() == null) {
                continue;
            }
            if (sb.length() > 0) {
                sb.append(PROPERTY_SEPARATOR);
            }
            sb.append(e.getKey()).append(NAME_VALUE_SEPARATOR).append(e.getValue());
        }
        return sb.toString();
    }

    /** Finds one property without building a map; null when absent or empty. */
    public static String get(String properties, String name) {
        if (properties == null) {
            return null;
        }
        int len = properties.length();
        int start = 0;
        while (start < len) {
            int end = properties.indexOf(PROPERTY_SEPARATOR, start);
            if (end < 0) {
                end = len;
            }
            int nameEnd = start + name.length();
            if (nameEnd < end - 1 && properties.charAt(nameEnd) == NAME_VALUE_SEPARATOR
                    && properties.regionMatches(start, name, 0, name.length())) {
                String value = properties.substring(nameEnd + 1, end);
                // later duplicates win: keep scanning
                String later = get(properties.substring(Math.min(end + 1, len)), name);
                return later != null ? later : value;
            }
            start = end + 1;
        }
        return null;
    }

    private MessageProperties() {
    }
}

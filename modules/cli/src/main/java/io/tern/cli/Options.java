package io.tern.cli;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Parsed options of one command: {@code -x value} pairs and value-less flags such as {@code --json}.
 *
 * <p>Not thread-safe; lives for one command run.
 */
public final class Options {
    /** Options every command accepts. */
    public static final Set<String> COMMON_VALUE_OPTIONS = Set.of("-n", "--access-key", "--secret-key",
            "--tls-trust");
    public static final Set<String> COMMON_FLAGS = Set.of("--json", "--tls");

    private final Map<String, String> values = new LinkedHashMap<>();

    private Options() {
    }

    /**
     * @param valueOptions options that take a value, besides {@link #COMMON_VALUE_OPTIONS}
     * @param flags        options without a value, besides {@link #COMMON_FLAGS}
     */
    public static Options parse(String[] args, int from, Set<String> valueOptions, Set<String> flags) {
        Options o = new Options();
        for (int i = from; i < args.length; i++) {
            String a = args[i];
            if (COMMON_FLAGS.contains(a) || flags.contains(a)) {
                o.values.put(a, "true");
            } else if (COMMON_VALUE_OPTIONS.contains(a) || valueOptions.contains(a)) {
                if (i + 1 >= args.length) {
                    throw new UsageException("option " + a + " needs a value");
                }
                o.values.put(a, args[++i]);
            } else {
                throw new UsageException("unknown option or argument: " + a);
            }
        }
        return o;
    }

    public String get(String option) {
        return values.get(option);
    }

    public String get(String option, String defaultValue) {
        return values.getOrDefault(option, defaultValue);
    }

    public boolean has(String option) {
        return values.containsKey(option);
    }

    public String required(String option) {
        String v = values.get(option);
        if (v == null || v.isBlank()) {
            throw new UsageException("missing required option " + option);
        }
        return v;
    }

    public int intValue(String option, int defaultValue) {
        String v = values.get(option);
        if (v == null) {
            return defaultValue;
        }
        try {
            return Integer.parseInt(v.trim());
        } catch (NumberFormatException e) {
            throw new UsageException("option " + option + " is not a number: " + v);
        }
    }

    public long longValue(String option, long defaultValue) {
        String v = values.get(option);
        if (v == null) {
            return defaultValue;
        }
        try {
            return Long.parseLong(v.trim());
        } catch (NumberFormatException e) {
            throw new UsageException("option " + option + " is not a number: " + v);
        }
    }

    public boolean json() {
        return values.containsKey("--json");
    }
}

package io.tern.broker.send;

/**
 * RocketMQ's delay levels (spec 6.7): level n (1-based) → delay in ms, from
 * {@code "1s 5s 10s 30s 1m 2m 3m 4m 5m 6m 7m 8m 9m 10m 20m 30m 1h 2h"}.
 */
public final class DelayLevels {
    public static final String DEFAULT = "1s 5s 10s 30s 1m 2m 3m 4m 5m 6m 7m 8m 9m 10m 20m 30m 1h 2h";
    private static final long[] DELAY_MS = parse(DEFAULT);

    private DelayLevels() {
    }

    public static int maxLevel() {
        return DELAY_MS.length;
    }

    /** Delay of a level, clamped to 1..max. */
    public static long delayMs(int level) {
        return DELAY_MS[Math.max(1, Math.min(level, DELAY_MS.length)) - 1];
    }

    static long[] parse(String spec) {
        String[] parts = spec.trim().split("\\s+");
        long[] out = new long[parts.length];
        for (int i = 0; i < parts.length; i++) {
            String p = parts[i];
            char unit = p.charAt(p.length() - 1);
            long n = Long.parseLong(p.substring(0, p.length() - 1));
            out[i] = n * switch (unit) {
                case 's' -> 1000L;
                case 'm' -> 60_000L;
                case 'h' -> 3_600_000L;
                case 'd' -> 86_400_000L;
                default -> throw new IllegalArgumentException("bad delay level " + p);
            };
        }
        return out;
    }
}

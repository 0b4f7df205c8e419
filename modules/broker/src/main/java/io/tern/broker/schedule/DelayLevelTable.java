package io.tern.broker.schedule;

import java.util.Arrays;

/**
 * The configured delay levels (spec 6.7): level n (1-based) → delay in ms, parsed from a string such as
 * {@code "1s 5s 10s 30s 1m ... 2h"} (units s, m, h, d). Levels above the configured count use the last delay:
 * the send path clamps to the 18 queues of SCHEDULE_TOPIC_XXXX whatever is configured.
 *
 * <p>Immutable.
 */
public final class DelayLevelTable {
    /** Queues of SCHEDULE_TOPIC_XXXX, hence the most levels a message can name. */
    public static final int SCHEDULE_QUEUES = 18;

    private final long[] delayMs;

    private DelayLevelTable(long[] delayMs) {
        this.delayMs = delayMs;
    }

    public static DelayLevelTable parse(String spec) {
        String[] parts = spec == null ? new String[0] : spec.trim().split("\\s+");
        if (parts.length == 0 || parts[0].isEmpty()) {
            throw new IllegalArgumentException("messageDelayLevel is empty");
        }
        long[] out = new long[parts.length];
        for (int i = 0; i < parts.length; i++) {
            String p = parts[i];
            char unit = p.charAt(p.length() - 1);
            long n;
            try {
                n = Long.parseLong(p.substring(0, p.length() - 1));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("messageDelayLevel: bad level '" + p + "'");
            }
            out[i] = n * switch (unit) {
                case 's' -> 1000L;
                case 'm' -> 60_000L;
                case 'h' -> 3_600_000L;
                case 'd' -> 86_400_000L;
                default -> throw new IllegalArgumentException("messageDelayLevel: bad unit in '" + p + "'");
            };
        }
        return new DelayLevelTable(out);
    }

    /** Number of configured levels. */
    public int levels() {
        return delayMs.length;
    }

    /** Delay of a level, clamped to 1..levels. */
    public long delayMs(int level) {
        return delayMs[Math.max(1, Math.min(level, delayMs.length)) - 1];
    }

    @Override
    public String toString() {
        return Arrays.toString(delayMs);
    }
}

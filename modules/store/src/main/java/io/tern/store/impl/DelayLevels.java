package io.tern.store.impl;

import java.util.ArrayList;
import java.util.List;

/**
 * The delay table ("1s 5s ... 2h", units s/m/h/d) and the delivery time it gives a SCHEDULE_TOPIC_XXXX entry:
 * what the broker put in the tag code when it stored the message, recomputed by recovery from the record.
 *
 * <p>Immutable, thread-safe.
 */
final class DelayLevels {
    static final String SCHEDULE_TOPIC = "SCHEDULE_TOPIC_XXXX";

    private final long[] delayMs;

    DelayLevels(String spec) {
        List<Long> out = new ArrayList<>();
        for (String token : spec.trim().split("\\s+")) {
            if (token.isEmpty()) {
                continue;
            }
            char unit = token.charAt(token.length() - 1);
            long n = Long.parseLong(token.substring(0, token.length() - 1));
            long factor = switch (unit) {
                case 's' -> 1000L;
                case 'm' -> 60_000L;
                case 'h' -> 3_600_000L;
                case 'd' -> 86_400_000L;
                default -> throw new IllegalArgumentException("bad delay level unit in " + token);
            };
            out.add(n * factor);
        }
        delayMs = out.stream().mapToLong(Long::longValue).toArray();
    }

    /** Delivery time for {@code level} (clamped to the highest), or {@code storeTimestamp} + 1 s when unknown. */
    long deliverTimestamp(int level, long storeTimestamp) {
        if (delayMs.length == 0 || level <= 0) {
            return storeTimestamp + 1000;
        }
        return storeTimestamp + delayMs[Math.min(level, delayMs.length) - 1];
    }
}

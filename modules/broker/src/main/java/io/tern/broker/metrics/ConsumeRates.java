package io.tern.broker.metrics;

import java.util.HashMap;
import java.util.Map;

/**
 * Messages per second pulled by each consumer group from each topic over the last minute: GET_CONSUME_STATS's
 * {@code consumeTps}, which RocketMQ takes from its per-minute "GROUP_GET_NUMS" statistics. Reads the pull counters
 * {@link TrafficMeters} already keeps, sampled every {@code BrokerStats.SAMPLE_INTERVAL_MS}, so the pull path pays
 * nothing for it.
 *
 * <p>Thread-safe: {@link #sample} and {@link #tps} are synchronized; both are cheap (a few entries per group).
 */
public final class ConsumeRates {
    static final long WINDOW_MS = 60_000;
    /** Enough 10-second samples to span the window, plus the one that starts it. */
    private static final int SAMPLES = 8;

    private final TrafficMeters traffic;
    private final Map<String, Samples> byKey = new HashMap<>();
    private long lastSampleMs = -1;

    private static final class Samples {
        final long[] timeMs = new long[SAMPLES];
        final long[] count = new long[SAMPLES];
        int head = -1;
        int size;

        void add(long nowMs, long total) {
            if (size > 0 && nowMs <= timeMs[head]) {
                return; // time must advance between samples (a late timer tick, a clock step back)
            }
            head = (head + 1) % SAMPLES;
            timeMs[head] = nowMs;
            count[head] = total;
            size = Math.min(SAMPLES, size + 1);
        }

        /** Rate between the oldest sample within the window (or the oldest kept) and the newest. */
        double tps() {
            if (size < 2) {
                return 0;
            }
            int oldest = head;
            for (int i = 1; i < size; i++) {
                int idx = Math.floorMod(head - i, SAMPLES);
                oldest = idx;
                if (timeMs[head] - timeMs[idx] >= WINDOW_MS) {
                    break;
                }
            }
            long ms = timeMs[head] - timeMs[oldest];
            return ms <= 0 ? 0 : (count[head] - count[oldest]) * 1000.0 / ms;
        }
    }

    ConsumeRates(TrafficMeters traffic) {
        this.traffic = traffic;
    }

    private static String key(String topic, String group) {
        return topic + '@' + group;
    }

    /** Takes one sample of every topic/group pull counter. */
    public synchronized void sample(long nowMs) {
        long previous = lastSampleMs;
        traffic.forEachPulled((topic, group, total) -> byKey.computeIfAbsent(key(topic, group), k -> {
            // a counter born since the last sample held 0 then: its first pulls count in the rate
            Samples s = new Samples();
            if (previous >= 0 && previous < nowMs) {
                s.add(previous, 0);
            }
            return s;
        }).add(nowMs, total));
        lastSampleMs = Math.max(lastSampleMs, nowMs);
    }

    /** Pulled messages per second of {@code group} from {@code topic}, over about the last minute; 0 if unknown. */
    public synchronized double tps(String topic, String group) {
        Samples s = byKey.get(key(topic, group));
        return s == null ? 0 : s.tps();
    }
}

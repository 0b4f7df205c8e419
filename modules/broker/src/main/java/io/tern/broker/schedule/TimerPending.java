package io.tern.broker.schedule;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.tern.broker.config.ConfigFile;
import io.tern.common.Json;
import java.io.IOException;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Timers waiting in the wheel, per real topic: one counter a topic (never one per timer), shown as the gauge
 * {@code tern_timer_pending_messages{topic}} and by {@code GET /api/timers}. Persisted with the timer checkpoint
 * as {@code config/timerPending.json} ({@code {"TopicA":12}}), so the counts survive a restart; recovery then
 * counts the timers enqueued after the checkpoint, and delivery of the ticks after it subtracts them again.
 *
 * <p>Thread-safe: the timer worker counts, the metrics scrape and the HTTP API read.
 */
public final class TimerPending {
    private final ConcurrentHashMap<String, AtomicLong> byTopic = new ConcurrentHashMap<>();
    private final MeterRegistry registry;

    /** @param registry where each topic's gauge is registered when the topic first has timers; may be null */
    public TimerPending(MeterRegistry registry) {
        this.registry = registry;
    }

    /** Blocking: the counts persisted at the last checkpoint. */
    void load(ConfigFile file) throws IOException {
        byte[] bytes = file.read();
        if (bytes == null) {
            return;
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> persisted = Json.fromBytes(bytes, Map.class);
        persisted.forEach((topic, n) -> {
            if (n instanceof Number count && count.longValue() > 0) {
                counter(topic).set(count.longValue());
            }
        });
    }

    /** Blocking: writes the counts (called by the timer worker just before its checkpoint). */
    void persist(ConfigFile file) throws IOException {
        file.write(Json.toBytes(snapshot()));
    }

    void add(String topic, long delta) {
        counter(topic).addAndGet(delta);
    }

    /** Pending timers of {@code topic}. */
    public long of(String topic) {
        AtomicLong n = byTopic.get(topic);
        return n == null ? 0 : Math.max(0, n.get());
    }

    /** Topics with pending timers and their counts, sorted by topic. */
    public Map<String, Long> snapshot() {
        Map<String, Long> copy = new TreeMap<>();
        byTopic.forEach((topic, n) -> {
            if (n.get() > 0) {
                copy.put(topic, n.get());
            }
        });
        return copy;
    }

    public long total() {
        long sum = 0;
        for (AtomicLong n : byTopic.values()) {
            sum += Math.max(0, n.get());
        }
        return sum;
    }

    private AtomicLong counter(String topic) {
        AtomicLong n = byTopic.get(topic);
        if (n != null) {
            return n;
        }
        return byTopic.computeIfAbsent(topic, t -> {
            AtomicLong created = new AtomicLong();
            if (registry != null) {
                Gauge.builder("tern.timer.pending", created, c -> Math.max(0, c.get()))
                        .description("timer messages waiting for their time").baseUnit("messages")
                        .tag("topic", t).register(registry);
            }
            return created;
        });
    }
}

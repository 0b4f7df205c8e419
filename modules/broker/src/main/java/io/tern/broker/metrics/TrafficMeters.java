package io.tern.broker.metrics;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.tern.remoting.protocol.ResponseCode;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * The hot-path counters of the send and pull processors: messages and bytes put per topic, put failures per
 * reason, messages pulled per topic and group, and the send latency. An increment is one or two map look-ups
 * keyed by strings the request already holds plus a {@link LongAdder#add}; the meter (a {@link FunctionCounter}
 * reading the adder at scrape time) is registered once, the first time a key is seen. Label values are topic and
 * group names and response-code names only, so the series count is bounded by the broker's topics and groups.
 *
 * <p>Thread-safe: called from every remoting event loop at once.
 */
public final class TrafficMeters {
    /** Send latency buckets: 100 µs to 5 s. */
    private static final Duration[] LATENCY_BUCKETS = {
        Duration.ofNanos(100_000), Duration.ofNanos(250_000), Duration.ofNanos(500_000), Duration.ofMillis(1),
        Duration.ofMillis(2), Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofMillis(25),
        Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500),
        Duration.ofSeconds(1), Duration.ofSeconds(5)};

    private final MeterRegistry registry;
    private final Map<String, TopicPuts> puts = new ConcurrentHashMap<>();
    private final Map<Integer, LongAdder> putFailures = new ConcurrentHashMap<>();
    private final Map<String, Map<String, LongAdder>> pulled = new ConcurrentHashMap<>();
    private final Timer sendLatency;

    private record TopicPuts(LongAdder messages, LongAdder bytes) {
    }

    TrafficMeters(MeterRegistry registry) {
        this.registry = registry;
        this.sendLatency = Timer.builder("tern.send.latency")
                .description("Send requests (SEND_MESSAGE, V2, batch) from receipt by the processor to the response")
                .serviceLevelObjectives(LATENCY_BUCKETS)
                .minimumExpectedValue(LATENCY_BUCKETS[0])
                .maximumExpectedValue(LATENCY_BUCKETS[LATENCY_BUCKETS.length - 1])
                .register(registry);
    }

    /** {@code messages} records with {@code bytes} bytes of request body were stored for {@code topic}. */
    public void put(String topic, int messages, long bytes) {
        TopicPuts p = puts.get(topic);
        if (p == null) {
            p = puts.computeIfAbsent(topic, this::registerPuts);
        }
        p.messages.add(messages);
        p.bytes.add(bytes);
    }

    /** A send answered with {@code responseCode} other than SUCCESS. */
    public void putFailed(int responseCode) {
        LongAdder a = putFailures.get(responseCode);
        if (a == null) {
            a = putFailures.computeIfAbsent(responseCode, this::registerFailure);
        }
        a.increment();
    }

    /** {@code messages} records of {@code topic} were answered to a pull of {@code group}. */
    public void pulled(String topic, String group, int messages) {
        Map<String, LongAdder> byGroup = pulled.get(topic);
        if (byGroup == null) {
            byGroup = pulled.computeIfAbsent(topic, t -> new ConcurrentHashMap<>());
        }
        LongAdder a = byGroup.get(group);
        if (a == null) {
            a = byGroup.computeIfAbsent(group, g -> registerPulled(topic, g));
        }
        a.add(messages);
    }

    /** Receives one topic/group pull counter. */
    @FunctionalInterface
    interface PulledVisitor {
        void visit(String topic, String group, long total);
    }

    /** Every topic/group pull counter and its total so far (for {@link ConsumeRates}). */
    void forEachPulled(PulledVisitor visitor) {
        pulled.forEach((topic, byGroup) -> byGroup.forEach((group, a) -> visitor.visit(topic, group, a.sum())));
    }

    public void sendLatency(long nanos) {
        sendLatency.record(nanos, TimeUnit.NANOSECONDS);
    }

    /** Messages put for a topic so far (0 if none): for the JSON API. */
    public long messagesPut(String topic) {
        TopicPuts p = puts.get(topic);
        return p == null ? 0 : p.messages.sum();
    }

    private TopicPuts registerPuts(String topic) {
        TopicPuts p = new TopicPuts(new LongAdder(), new LongAdder());
        FunctionCounter.builder("tern.messages.put", p.messages, LongAdder::sum)
                .description("Messages stored by send requests, by topic as sent")
                .tag("topic", topic).register(registry);
        FunctionCounter.builder("tern.messages.put.bytes", p.bytes, LongAdder::sum)
                .description("Request body bytes of stored sends (a batch counts its encoded batch body), by topic")
                .tag("topic", topic).register(registry);
        return p;
    }

    private LongAdder registerFailure(int code) {
        LongAdder a = new LongAdder();
        FunctionCounter.builder("tern.put.failures", a, LongAdder::sum)
                .description("Send requests not answered SUCCESS, by response code")
                .tag("reason", reason(code)).register(registry);
        return a;
    }

    private LongAdder registerPulled(String topic, String group) {
        LongAdder a = new LongAdder();
        FunctionCounter.builder("tern.messages.pulled", a, LongAdder::sum)
                .description("Messages answered to pull requests, by topic and consumer group")
                .tag("topic", topic).tag("group", group).register(registry);
        return a;
    }

    /** The RocketMQ response-code name in lower case: a bounded label value. */
    static String reason(int code) {
        return switch (code) {
            case ResponseCode.SYSTEM_ERROR -> "system_error";
            case ResponseCode.SYSTEM_BUSY -> "system_busy";
            case ResponseCode.FLUSH_DISK_TIMEOUT -> "flush_disk_timeout";
            case ResponseCode.SLAVE_NOT_AVAILABLE -> "slave_not_available";
            case ResponseCode.FLUSH_SLAVE_TIMEOUT -> "flush_slave_timeout";
            case ResponseCode.MESSAGE_ILLEGAL -> "message_illegal";
            case ResponseCode.SERVICE_NOT_AVAILABLE -> "service_not_available";
            case ResponseCode.NO_PERMISSION -> "no_permission";
            case ResponseCode.TOPIC_NOT_EXIST -> "topic_not_exist";
            case ResponseCode.SUBSCRIPTION_GROUP_NOT_EXIST -> "subscription_group_not_exist";
            default -> "code_" + code;
        };
    }
}

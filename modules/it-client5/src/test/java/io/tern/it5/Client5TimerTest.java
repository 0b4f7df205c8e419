package io.tern.it5;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tern.server.EmbeddedTern;
import io.tern.server.EmbeddedTernOptions;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.rocketmq.client.consumer.DefaultMQPushConsumer;
import org.apache.rocketmq.client.consumer.listener.ConsumeConcurrentlyStatus;
import org.apache.rocketmq.client.consumer.listener.MessageListenerConcurrently;
import org.apache.rocketmq.client.exception.MQBrokerException;
import org.apache.rocketmq.client.producer.DefaultMQProducer;
import org.apache.rocketmq.client.producer.SendStatus;
import org.apache.rocketmq.common.consumer.ConsumeFromWhere;
import org.apache.rocketmq.common.message.Message;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Timer messages from the 5.x client (setDeliverTimeMs / setDelayTimeSec / setDelayTimeMs) on a real broker: never
 * delivered before their time, kept pending (and shown as pending) across a restart, refused beyond 40 days.
 */
class Client5TimerTest {
    private static final AtomicInteger SEQUENCE = new AtomicInteger();
    private static final long DAY_MS = 24L * 3600 * 1000;
    /** Generous: the bound only catches a timer that was not served by the wheel at all; speed is for benchmarks. */
    private static final long LATE_BOUND_MS = 3_000;

    @TempDir
    static Path storeRoot;
    static EmbeddedTern tern;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void start() {
        tern = EmbeddedTern.start(new EmbeddedTernOptions(storeRoot).httpPort(0));
    }

    @AfterAll
    static void stop() {
        if (tern != null) {
            tern.close();
        }
    }

    static String unique(String prefix) {
        return prefix + "_" + ProcessHandle.current().pid() + "_" + SEQUENCE.incrementAndGet();
    }

    private DefaultMQProducer producer() throws Exception {
        DefaultMQProducer producer = new DefaultMQProducer(unique("PG"));
        producer.setNamesrvAddr(tern.namesrvAddr());
        producer.setInstanceName(unique("p"));
        producer.start();
        return producer;
    }

    /** A push consumer of {@code topic} from its first offset, recording when each key arrived. */
    private DefaultMQPushConsumer consumer(String topic, Map<String, Long> arrivedAtMs) throws Exception {
        DefaultMQPushConsumer consumer = new DefaultMQPushConsumer(unique("CG"));
        consumer.setNamesrvAddr(tern.namesrvAddr());
        consumer.setInstanceName(unique("c"));
        consumer.setConsumeFromWhere(ConsumeFromWhere.CONSUME_FROM_FIRST_OFFSET);
        consumer.subscribe(topic, "*");
        consumer.registerMessageListener((MessageListenerConcurrently) (msgs, ctx) -> {
            long now = System.currentTimeMillis();
            msgs.forEach(m -> arrivedAtMs.putIfAbsent(m.getKeys(), now));
            return ConsumeConcurrentlyStatus.CONSUME_SUCCESS;
        });
        consumer.start();
        return consumer;
    }

    private static void awaitKeys(Map<String, Long> arrived, int count, long timeoutMs) throws InterruptedException {
        long deadline = System.currentTimeMillis() + timeoutMs;
        while (arrived.size() < count && System.currentTimeMillis() < deadline) {
            Thread.sleep(10);
        }
    }

    private JsonObject timers() throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + tern.broker().httpPort() + "/api/timers")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), r.body());
        return new JsonObject(r.body());
    }

    private String metrics() throws Exception {
        return http.send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + tern.broker().httpPort() + "/metrics")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }

    private static Message message(String topic, String key) {
        return new Message(topic, "TagT", key, key.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void deliverTimeMsAndDelaysArriveNotBeforeTheirTime() throws Exception {
        String topic = unique("Timer5s");
        Map<String, Long> arrived = new ConcurrentHashMap<>();
        DefaultMQProducer producer = producer();
        DefaultMQPushConsumer consumer = null;
        try {
            // the topic exists and the consumer is polling before the timers are sent
            assertEquals(SendStatus.SEND_OK, producer.send(message(topic, "warm-up")).getSendStatus());
            consumer = consumer(topic, arrived);
            awaitKeys(arrived, 1, 60_000);
            assertTrue(arrived.containsKey("warm-up"), "the consumer is polling");

            long sentAt = System.currentTimeMillis();
            Message at = message(topic, "deliver-ms");
            at.setDeliverTimeMs(sentAt + 5_000);
            assertEquals(SendStatus.SEND_OK, producer.send(at).getSendStatus());
            Message sec = message(topic, "delay-sec");
            sec.setDelayTimeSec(3);
            long secDue = System.currentTimeMillis() + 3_000;
            assertEquals(SendStatus.SEND_OK, producer.send(sec).getSendStatus());
            Message ms = message(topic, "delay-ms");
            long msDue = System.currentTimeMillis() + 2_500;
            ms.setDelayTimeMs(2_500);
            assertEquals(SendStatus.SEND_OK, producer.send(ms).getSendStatus());

            awaitKeys(arrived, 4, 30_000);
            assertEquals(4, arrived.size(), "arrived: " + arrived.keySet());
            long deliverAt = sentAt + 5_000;
            long observed = arrived.get("deliver-ms") - sentAt;
            System.out.printf("timer: setDeliverTimeMs(now + 5 s) arrived after %d ms (%d ms after its time)%n",
                    observed, arrived.get("deliver-ms") - deliverAt);
            assertTrue(arrived.get("deliver-ms") >= deliverAt, "delivered " + (deliverAt - arrived.get("deliver-ms"))
                    + " ms early");
            assertTrue(arrived.get("delay-sec") >= secDue, "setDelayTimeSec(3) delivered early");
            assertTrue(arrived.get("delay-ms") >= msDue, "setDelayTimeMs(2500) delivered early");
            assertTrue(observed < 5_000 + LATE_BOUND_MS, "observed " + observed + " ms");
        } finally {
            if (consumer != null) {
                consumer.shutdown();
            }
            producer.shutdown();
        }
    }

    @Test
    void aTwoHourTimerStaysPendingAcrossARestartAndIsShownAsPending() throws Exception {
        String topic = unique("Timer2h");
        DefaultMQProducer producer = producer();
        try {
            assertEquals(SendStatus.SEND_OK, producer.send(message(topic, "now")).getSendStatus());
            Message later = message(topic, "two-hours");
            later.setDeliverTimeMs(System.currentTimeMillis() + 2 * 3600 * 1000);
            assertEquals(SendStatus.SEND_OK, producer.send(later).getSendStatus());
        } finally {
            producer.shutdown();
        }
        awaitPending(topic, 1);
        assertTrue(metrics().contains("tern_timer_pending_messages{topic=\"" + topic + "\"} 1.0"), "gauge of " + topic);

        tern.restart();

        assertEquals(1L, timers().getJsonObject("pending").getLong(topic), "still pending after the restart");
        Map<String, Long> arrived = new ConcurrentHashMap<>();
        DefaultMQPushConsumer consumer = consumer(topic, arrived);
        try {
            awaitKeys(arrived, 1, 60_000);
            // the consumer reads the whole topic: what is there is the plain message only
            Thread.sleep(2_000);
            assertEquals(Map.of("now", arrived.get("now")), arrived, "the 2-hour timer was not delivered early");
        } finally {
            consumer.shutdown();
        }
        assertEquals(1L, timers().getJsonObject("pending").getLong(topic));
    }

    private void awaitPending(String topic, long expected) throws Exception {
        long deadline = System.currentTimeMillis() + 30_000;
        Long pending = null;
        while (System.currentTimeMillis() < deadline) {
            pending = timers().getJsonObject("pending").getLong(topic);
            if (pending != null && pending == expected) {
                return;
            }
            Thread.sleep(20);
        }
        assertEquals(expected, pending, "pending timers of " + topic);
    }

    @Test
    void aTimerBeyondFortyDaysIsRefusedAndOneWithinIsTaken() throws Exception {
        String topic = unique("Timer41d");
        DefaultMQProducer producer = producer();
        try {
            assertEquals(SendStatus.SEND_OK, producer.send(message(topic, "create")).getSendStatus());
            Message tooFar = message(topic, "41-days");
            tooFar.setDeliverTimeMs(System.currentTimeMillis() + 41 * DAY_MS);
            MQBrokerException e = assertThrows(MQBrokerException.class, () -> producer.send(tooFar));
            assertEquals(13, e.getResponseCode(), e.getMessage());
            assertTrue(e.getErrorMessage().contains("timer message illegal"), e.getErrorMessage());
            assertTrue(e.getErrorMessage().contains(Long.toString(40 * DAY_MS)), e.getErrorMessage());

            Message within = message(topic, "39-days");
            within.setDeliverTimeMs(System.currentTimeMillis() + 39 * DAY_MS);
            assertEquals(SendStatus.SEND_OK, producer.send(within).getSendStatus());
        } finally {
            producer.shutdown();
        }
        awaitPending(topic, 1);
    }
}

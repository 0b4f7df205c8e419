package io.tern.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.rocketmq.client.consumer.DefaultMQPushConsumer;
import org.apache.rocketmq.client.consumer.listener.ConsumeConcurrentlyStatus;
import org.apache.rocketmq.client.consumer.listener.MessageListenerConcurrently;
import org.apache.rocketmq.client.producer.DefaultMQProducer;
import org.apache.rocketmq.client.producer.SendStatus;
import org.apache.rocketmq.common.message.Message;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * kill -9 of a standalone process holding pending timer messages (TIMER_DELIVER_MS, as the 5.x client's
 * setDeliverTimeMs sends it) loses none: after the restart every timer is delivered, none before its time. Half
 * the timers were sent before a timer checkpoint (timerFlushIntervalMs, 300 ms here), half after the last one, so
 * both the checkpointed wheel and the recovery of what came after it are exercised.
 */
class TimerKillNineTest {
    private static final int TIMERS = 100;
    /** Generous: catches a timer left to a later tick or a later restart, not a slow machine. */
    private static final long LATE_BOUND_MS = 10_000;

    @TempDir
    Path storeRoot;
    @TempDir
    Path workDir;

    @Test
    void killNineKeepsEveryPendingTimerAndDeliversItOnTime() throws Exception {
        int nameServerPort = TernProcess.freePort();
        int brokerPort = TernProcess.freePort();
        Map<String, String> env = TernProcess.standaloneEnv(nameServerPort, brokerPort, storeRoot);
        List<String> command = TernProcess.fatJarCommand("standalone", "512m", List.of(
                "-Dtern.broker.store.commitLogSegmentBytes=67108864",
                "-Dtern.broker.store.timerFlushIntervalMs=300"));
        String namesrvAddr = "127.0.0.1:" + nameServerPort;
        String topic = Clients.unique("TimerKillNine");
        Map<String, Long> dueByKey = new HashMap<>();

        try (TernProcess tern = TernProcess.start("tern-1", command, workDir, env)) {
            tern.awaitLine(TernProcess.READY_MARKER, 120_000);
            DefaultMQProducer producer = Clients.producer(namesrvAddr);
            try {
                producer.start();
                long dueBase = System.currentTimeMillis() + 25_000;
                for (int i = 0; i < TIMERS; i++) {
                    if (i == TIMERS / 2) {
                        Await.sleep(1_000);
                    }
                    String key = "timer-" + i;
                    long due = dueBase + i * 37L;
                    Message m = new Message(topic, "T", key, key.getBytes(StandardCharsets.UTF_8));
                    m.putUserProperty("TIMER_DELIVER_MS", Long.toString(due));
                    assertEquals(SendStatus.SEND_OK, producer.send(m).getSendStatus());
                    dueByKey.put(key, due);
                }
            } finally {
                Clients.shutdown(producer);
            }
            tern.kill();
        }

        try (TernProcess tern = TernProcess.start("tern-2", command, workDir, env)) {
            tern.awaitLine(TernProcess.READY_MARKER, 120_000);
            Map<String, Long> arrivedAt = new ConcurrentHashMap<>();
            Map<String, Long> storedAt = new ConcurrentHashMap<>();
            DefaultMQPushConsumer consumer = Clients.pushConsumer(namesrvAddr, Clients.unique("CG"));
            try {
                consumer.subscribe(topic, "*");
                consumer.registerMessageListener((MessageListenerConcurrently) (msgs, ctx) -> {
                    long now = System.currentTimeMillis();
                    msgs.forEach(m -> {
                        arrivedAt.putIfAbsent(m.getKeys(), now);
                        storedAt.putIfAbsent(m.getKeys(), m.getStoreTimestamp());
                    });
                    return ConsumeConcurrentlyStatus.CONSUME_SUCCESS;
                });
                consumer.start();
                Await.until("every timer after kill -9", 90_000, () -> arrivedAt.keySet().containsAll(dueByKey.keySet()),
                        () -> "received " + arrivedAt.size() + " of " + TIMERS);
            } finally {
                Clients.shutdown(consumer);
            }
            long maxLateMs = 0;
            for (Map.Entry<String, Long> e : dueByKey.entrySet()) {
                long due = e.getValue();
                assertTrue(storedAt.get(e.getKey()) >= due, e.getKey() + " delivered "
                        + (due - storedAt.get(e.getKey())) + " ms early");
                assertTrue(arrivedAt.get(e.getKey()) >= due, e.getKey() + " arrived early");
                maxLateMs = Math.max(maxLateMs, arrivedAt.get(e.getKey()) - due);
            }
            System.out.printf("timer kill -9: %d timers delivered after the restart, latest %d ms after its time%n",
                    TIMERS, maxLateMs);
            assertTrue(maxLateMs < LATE_BOUND_MS, "latest arrival " + maxLateMs + " ms after its time");
            assertEquals(TIMERS, arrivedAt.size());
            assertEquals(143, tern.terminate(60_000), "SIGTERM exit code");
        }
    }
}

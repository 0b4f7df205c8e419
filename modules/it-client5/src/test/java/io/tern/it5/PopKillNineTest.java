package io.tern.it5;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.rocketmq.client.consumer.AckStatus;
import org.apache.rocketmq.client.producer.DefaultMQProducer;
import org.apache.rocketmq.common.message.MessageExt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Pop state survives kill -9: a standalone Tern in a child JVM (SYNC_FLUSH) is killed with SIGKILL after a pop,
 * an ack and the next offset persistence, and restarted on the same store; the acknowledged message stays gone, the
 * unacknowledged ones come back as retries, and the pop offset holds.
 */
class PopKillNineTest {
    @TempDir
    Path storeRoot;

    /** A standalone node in its own JVM on this test's class path. */
    private static final class Node implements AutoCloseable {
        final Process process;
        final CountDownLatch ready = new CountDownLatch(1);

        Node(Path storeRoot, int nameServerPort, int brokerPort) throws IOException {
            List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xmx256m", "-cp", System.getProperty("java.class.path"),
                    "-Dtern.broker.persistConsumerOffsetIntervalMs=200",
                    "-Dtern.broker.popReviveIntervalMs=200",
                    "-Dtern.broker.store.commitLogSegmentBytes=67108864",
                    "io.tern.server.TernMain", "standalone");
            ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
            pb.environment().putAll(Map.of("TERN_NAMESERVER_PORT", Integer.toString(nameServerPort),
                    "TERN_BROKER_PORT", Integer.toString(brokerPort), "TERN_HTTP_PORT", "-1",
                    "TERN_STORE_ROOT", storeRoot.toString(), "TERN_FLUSH_MODE", "SYNC_FLUSH"));
            process = pb.start();
            Thread pump = new Thread(() -> {
                try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(),
                        StandardCharsets.UTF_8))) {
                    String line;
                    while ((line = r.readLine()) != null) {
                        System.out.println("[tern] " + line);
                        if (line.contains("Tern standalone ready")) {
                            ready.countDown();
                        }
                    }
                } catch (IOException ignored) {
                    // killed
                }
            }, "pop-kill-nine-output");
            pump.setDaemon(true);
            pump.start();
        }

        void awaitReady() throws InterruptedException {
            assertTrue(ready.await(120, TimeUnit.SECONDS), "the node printed its ready line");
        }

        void killNine() throws InterruptedException {
            process.destroyForcibly(); // SIGKILL
            assertTrue(process.waitFor(30, TimeUnit.SECONDS));
        }

        @Override
        public void close() throws InterruptedException {
            if (process.isAlive()) {
                killNine();
            }
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    @Test
    void popStateSurvivesKillNine() throws Exception {
        int nameServerPort = freePort();
        int brokerPort = freePort();
        String namesrv = "127.0.0.1:" + nameServerPort;
        String brokerAddr = "127.0.0.1:" + brokerPort;
        String topic = EmbeddedPopTest.unique("PopKill");
        String group = EmbeddedPopTest.unique("PopKillCG");
        long invisibleMs = 10_000; // long enough for the kill to come before any revive

        try (Node first = new Node(storeRoot, nameServerPort, brokerPort)) {
            first.awaitReady();
            DefaultMQProducer p = new DefaultMQProducer(EmbeddedPopTest.unique("PopKillPG"));
            p.setNamesrvAddr(namesrv);
            p.setInstanceName(EmbeddedPopTest.unique("pkp"));
            p.start();
            Map<String, MessageExt> popped = new ConcurrentHashMap<>();
            try (PopClient client = new PopClient(namesrv, EmbeddedPopTest.unique("pkc"), "broker-a",
                    brokerAddr)) {
                for (String k : List.of("acked", "pending-1", "pending-2")) {
                    PopConsumptionTest.send(p, topic, k);
                }
                long deadline = System.currentTimeMillis() + 30_000;
                while (popped.size() < 3 && System.currentTimeMillis() < deadline) {
                    for (MessageExt m : PopClient.found(client.pop(topic, group, 32, invisibleMs, 1_000, false))) {
                        popped.put(m.getKeys(), m);
                    }
                }
                assertEquals(3, popped.size());
                assertEquals(AckStatus.OK, client.ack(popped.get("acked"), group).getStatus());
                PopConsumptionTest.send(p, topic, "after");
                Thread.sleep(1_000); // past a few offset persistences (every 200 ms here)
                first.killNine(); // clients still open: the broker gets no warning
            } finally {
                p.shutdown();
            }
        }

        try (Node second = new Node(storeRoot, nameServerPort, brokerPort)) {
            second.awaitReady();
            Map<String, Integer> after = new ConcurrentHashMap<>();
            try (PopClient client = new PopClient(namesrv, EmbeddedPopTest.unique("pkc"), "broker-a",
                    brokerAddr)) {
                long deadline = System.currentTimeMillis() + 60_000;
                while (after.size() < 3 && System.currentTimeMillis() < deadline) {
                    for (MessageExt m : PopClient.found(client.pop(topic, group, 32, 60_000, 1_000, false))) {
                        after.merge(m.getKeys(), m.getReconsumeTimes(), (a, b) -> -1);
                    }
                }
                assertEquals(Map.of("after", 0, "pending-1", 1, "pending-2", 1), after,
                        "the pop offset, the pending checkpoints and the ack survived kill -9");
                long quietUntil = System.currentTimeMillis() + 2 * invisibleMs;
                while (System.currentTimeMillis() < quietUntil) {
                    List<MessageExt> more = PopClient.found(client.pop(topic, group, 32, 60_000, 1_000, false));
                    assertTrue(more.isEmpty(), "nothing else comes back: " + more);
                }
            }
        }
    }
}

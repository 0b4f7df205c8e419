package io.tern.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tern.store.GetResult;
import io.tern.store.MessageFilter;
import io.tern.store.MessageStore;
import io.tern.store.MessageStores;
import io.tern.store.ReplicaLog;
import io.tern.store.StoreConfig;
import io.vertx.core.Vertx;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.apache.rocketmq.client.consumer.DefaultMQPushConsumer;
import org.apache.rocketmq.client.producer.DefaultMQProducer;
import org.apache.rocketmq.client.producer.SendStatus;
import org.apache.rocketmq.common.message.Message;
import org.apache.rocketmq.common.message.MessageDecoder;
import org.apache.rocketmq.common.message.MessageExt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 11's crash rounds, with separate processes (nameserver, SYNC_MASTER, slave; SYNC_FLUSH) and the official
 * client: two producers send without pause, the master is killed with SIGKILL at a random moment and restarted on
 * its store, five times, while the slave keeps running. Afterwards, with the master gone, a consumer reads every
 * SEND_OK message from the slave; the slave's log holds each exactly once, and is byte-identical to the master's
 * up to the slave's end. Client retries are off, so one SEND_OK means one stored copy.
 */
class SyncMasterCrashRoundsTest {
    private static final int ROUNDS = 5;
    private static final int PRODUCER_THREADS = 2;
    private static final long SEGMENT_BYTES = 1 << 20;

    @TempDir
    Path storeRoot;
    @TempDir
    Path workDir;

    @Test
    void everySendOkSurvivesKillNineOfTheMasterOnTheSlave() throws Exception {
        int nameServerPort = TernProcess.freePort();
        String namesrvAddr = "127.0.0.1:" + nameServerPort;
        Path masterRoot = storeRoot.resolve("master");
        Path slaveRoot = storeRoot.resolve("slave");
        Map<String, String> masterEnv = brokerEnv(namesrvAddr, TernProcess.freePort(), masterRoot, "SYNC_MASTER", 0);
        masterEnv.put("TERN_HA_PORT", Integer.toString(TernProcess.freePort()));
        Map<String, String> slaveEnv = brokerEnv(namesrvAddr, TernProcess.freePort(), slaveRoot, "SLAVE", 1);
        String topic = Clients.unique("HaCrash");
        Set<String> acknowledged = ConcurrentHashMap.newKeySet();

        try (TernProcess nameServer = TernProcess.start("namesrv", command("nameserver"), workDir,
                Map.of("TERN_NAMESERVER_PORT", Integer.toString(nameServerPort)))) {
            nameServer.awaitLine(TernProcess.readyMarker("nameserver"), 120_000);
            TernProcess slave = null;
            try {
                for (int round = 1; round <= ROUNDS; round++) {
                    try (TernProcess master = TernProcess.start("master-" + round, command("broker"), workDir,
                            masterEnv)) {
                        master.awaitLine(TernProcess.readyMarker("broker"), 120_000);
                        if (slave == null) {
                            slave = TernProcess.start("slave", command("broker"), workDir, slaveEnv);
                            slave.awaitLine(TernProcess.readyMarker("broker"), 120_000);
                        }
                        master.awaitLine("replicates from", 60_000);
                        int before = acknowledged.size();
                        sendUntilKilled(master, namesrvAddr, topic, "r" + round, acknowledged);
                        System.out.printf("round %d: %d SEND_OK before kill -9 of the master (total %d)%n", round,
                                acknowledged.size() - before, acknowledged.size());
                    }
                }
                assertTrue(acknowledged.size() > ROUNDS, "each round acknowledged sends: " + acknowledged.size());

                Set<String> consumed = consumeFromSlave(namesrvAddr, topic, acknowledged);
                assertTrue(consumed.containsAll(acknowledged), "every SEND_OK message read from the slave");
                assertEquals(143, slave.terminate(60_000), "the slave stops gracefully on SIGTERM");
            } finally {
                if (slave != null) {
                    slave.close();
                }
            }
        }

        Vertx vertx = Vertx.vertx();
        MessageStore slaveStore = MessageStores.open(vertx, storeConfig(slaveRoot));
        MessageStore masterStore = MessageStores.open(vertx, storeConfig(masterRoot));
        try {
            Map<String, Integer> copies = countKeys(slaveStore, topic);
            List<String> missing = new ArrayList<>();
            List<String> twice = new ArrayList<>();
            for (String key : acknowledged) {
                int n = copies.getOrDefault(key, 0);
                if (n == 0) {
                    missing.add(key);
                } else if (n > 1) {
                    twice.add(key + "x" + n);
                }
            }
            assertTrue(missing.isEmpty(), missing.size() + " SEND_OK messages missing on the slave: " + head(missing));
            assertTrue(twice.isEmpty(), "SEND_OK messages stored twice on the slave: " + head(twice));
            long slaveEnd = slaveStore.replicaLog().maxOffset();
            assertTrue(masterStore.replicaLog().maxOffset() >= slaveEnd);
            assertIdentical(masterStore.replicaLog(), slaveStore.replicaLog(), slaveEnd);
        } finally {
            slaveStore.shutdown();
            masterStore.shutdown();
            vertx.close().await(60, TimeUnit.SECONDS);
        }
    }

    private static List<String> command(String role) {
        return TernProcess.fatJarCommand(role, "256m", List.of(
                "-Dtern.broker.store.commitLogSegmentBytes=" + SEGMENT_BYTES,
                "-Dtern.broker.registerNameServerPeriodMs=2000",
                "-Dtern.broker.metadataSyncIntervalMs=1000"));
    }

    private static Map<String, String> brokerEnv(String namesrvAddr, int port, Path root, String role, int id) {
        Map<String, String> env = TernProcess.brokerEnv(namesrvAddr, port, root, "broker-ha", role, id);
        env.put("TERN_FLUSH_MODE", "SYNC_FLUSH");
        return env;
    }

    private static StoreConfig storeConfig(Path root) {
        StoreConfig c = new StoreConfig(root.toString());
        c.commitLogSegmentBytes = SEGMENT_BYTES;
        c.warmMappedFile = false;
        return c;
    }

    /** Producer threads send without pause; the master is killed at a random moment while they do. */
    private static void sendUntilKilled(TernProcess master, String namesrvAddr, String topic, String round,
                                        Set<String> acknowledged) throws Exception {
        DefaultMQProducer producer = Clients.producer(namesrvAddr);
        producer.setRetryTimesWhenSendFailed(0);
        producer.setSendMsgTimeout(3_000);
        try {
            producer.start();
            Await.until("a SEND_OK from the master of round " + round, 60_000, () -> {
                try {
                    String key = round + "-first-" + System.nanoTime();
                    if (producer.send(message(topic, key)).getSendStatus() == SendStatus.SEND_OK) {
                        acknowledged.add(key);
                        return true;
                    }
                } catch (Exception notYet) {
                    Await.sleep(100);
                }
                return false;
            });
            KillWhileSending.run(producer, master, topic, round, PRODUCER_THREADS, SyncMasterCrashRoundsTest::message,
                    acknowledged);
        } finally {
            Clients.shutdown(producer);
        }
    }

    private static Set<String> consumeFromSlave(String namesrvAddr, String topic, Set<String> expected)
            throws Exception {
        DefaultMQPushConsumer consumer = Clients.pushConsumer(namesrvAddr, Clients.unique("HaCrashReader"));
        Received received = new Received();
        try {
            consumer.subscribe(topic, "*");
            consumer.registerMessageListener(received);
            consumer.start();
            Await.until("every SEND_OK message from the slave", 120_000,
                    () -> GracefulRestartTest.keys(received).containsAll(expected),
                    () -> "received " + received.count() + " of " + expected.size());
            return GracefulRestartTest.keys(received);
        } finally {
            Clients.shutdown(consumer);
        }
    }

    /** Copies of each key in the store's queues of {@code topic}, read back from offset 0. */
    private static Map<String, Integer> countKeys(MessageStore store, String topic) {
        Map<String, Integer> counts = new HashMap<>();
        for (int queueId = 0; queueId < 16; queueId++) {
            long offset = store.minOffsetInQueue(topic, queueId);
            long max = store.maxOffsetInQueue(topic, queueId);
            while (offset < max) {
                GetResult r = store.get(topic, queueId, offset, 32, 1 << 20, MessageFilter.ALL);
                assertEquals(GetResult.GetStatus.FOUND, r.status(), topic + "-" + queueId + " at " + offset);
                for (ByteBuffer record : r.messages()) {
                    MessageExt m = MessageDecoder.decode(record.duplicate(), true, false);
                    counts.merge(m.getKeys(), 1, Integer::sum);
                }
                offset = r.nextBeginOffset();
            }
        }
        return counts;
    }

    private static void assertIdentical(ReplicaLog master, ReplicaLog slave, long end) {
        long at = Math.max(master.minOffset(), slave.minOffset());
        while (at < end) {
            ByteBuffer m = master.read(at, (int) Math.min(1 << 20, end - at));
            ByteBuffer s = slave.read(at, m.remaining());
            byte[] mb = new byte[m.remaining()];
            byte[] sb = new byte[s.remaining()];
            m.get(mb);
            s.get(sb);
            assertArrayEquals(mb, sb, "commit logs differ in the chunk at " + at);
            at += mb.length;
        }
    }

    private static Message message(String topic, String key) {
        return new Message(topic, "TagA", key, ("replicated " + key).getBytes(StandardCharsets.UTF_8));
    }

    private static String head(List<String> keys) {
        return keys.subList(0, Math.min(10, keys.size())).toString();
    }
}

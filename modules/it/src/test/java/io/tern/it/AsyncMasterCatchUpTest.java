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
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.rocketmq.client.consumer.DefaultMQPushConsumer;
import org.apache.rocketmq.client.consumer.listener.ConsumeConcurrentlyStatus;
import org.apache.rocketmq.client.consumer.listener.MessageListenerConcurrently;
import org.apache.rocketmq.client.producer.DefaultMQProducer;
import org.apache.rocketmq.client.producer.SendResult;
import org.apache.rocketmq.client.producer.SendStatus;
import org.apache.rocketmq.common.message.Message;
import org.apache.rocketmq.common.message.MessageDecoder;
import org.apache.rocketmq.common.message.MessageExt;
import org.apache.rocketmq.remoting.netty.NettyClientConfig;
import org.apache.rocketmq.remoting.netty.NettyRemotingClient;
import org.apache.rocketmq.remoting.protocol.RemotingCommand;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 11's ASYNC_MASTER must-show with separate processes (nameserver, ASYNC_MASTER, slave) and the official
 * 4.9.8 client sending 1,000,000 small messages in batches:
 * <ol>
 *   <li>the lag is visible: with the slave suspended (SIGSTOP) while 200,000 messages are sent, the master's
 *       GET_BROKER_HA_STATUS shows it at least that many messages and their bytes behind; resumed (SIGCONT), its
 *       lag drains to zero;</li>
 *   <li>a slave killed (SIGKILL) in the middle of the sends and restarted on its store while they go on catches
 *       up: its lag drains to zero, its commit log is byte-identical to the master's, a consumer reads every
 *       message from it with the master gone, and its queues hold each message exactly once.</li>
 * </ol>
 */
class AsyncMasterCatchUpTest {
    private static final int MESSAGES = 1_000_000;
    private static final int BATCH = 500;
    private static final int SENDER_THREADS = 2;
    private static final long SEGMENT_BYTES = 64L << 20;

    @TempDir
    Path storeRoot;
    @TempDir
    Path workDir;

    @Test
    void lagIsVisibleDrainsAndAKilledSlaveCatchesUpDuringAMillionSends() throws Exception {
        int nameServerPort = TernProcess.freePort();
        String namesrvAddr = "127.0.0.1:" + nameServerPort;
        int masterPort = TernProcess.freePort();
        String masterAddr = "127.0.0.1:" + masterPort;
        Path masterRoot = storeRoot.resolve("master");
        Path slaveRoot = storeRoot.resolve("slave");
        Map<String, String> masterEnv = brokerEnv(namesrvAddr, masterPort, masterRoot, "ASYNC_MASTER", 0);
        masterEnv.put("TERN_HA_PORT", Integer.toString(TernProcess.freePort()));
        Map<String, String> slaveEnv = brokerEnv(namesrvAddr, TernProcess.freePort(), slaveRoot, "SLAVE", 1);
        String topic = Clients.unique("HaMillion");
        long masterEnd;

        NettyRemotingClient remoting = new NettyRemotingClient(new NettyClientConfig());
        remoting.start();
        DefaultMQProducer producer = Clients.producer(namesrvAddr);
        producer.setRetryTimesWhenSendFailed(0);
        try (TernProcess nameServer = TernProcess.start("namesrv", command("nameserver"), workDir,
                Map.of("TERN_NAMESERVER_PORT", Integer.toString(nameServerPort)))) {
            nameServer.awaitLine(TernProcess.readyMarker("nameserver"), 120_000);
            TernProcess master = TernProcess.start("master", command("broker"), workDir, masterEnv);
            TernProcess slave = TernProcess.start("slave", command("broker"), workDir, slaveEnv);
            try {
                master.awaitLine(TernProcess.readyMarker("broker"), 120_000);
                slave.awaitLine(TernProcess.readyMarker("broker"), 120_000);
                master.awaitLine("replicates from", 60_000);
                producer.start();

                sendRange(producer, topic, 0, 200_000, new AtomicInteger());

                // 1. suspended: the master keeps the connection and shows the lag growing
                long endBeforeStop = awaitDrained(remoting, masterAddr);
                signal("STOP", slave.pid());
                try {
                    sendRange(producer, topic, 200_000, 400_000, new AtomicInteger());
                    JsonObject ha = haStatus(remoting, masterAddr);
                    JsonObject s = slaveConnection(ha);
                    long end = ha.getLong("masterCommitLogMaxOffset");
                    assertTrue(s.getLong("slaveAckOffset") <= endBeforeStop, s.encode());
                    assertTrue(s.getLong("diff") >= end - endBeforeStop, "lag in bytes visible: " + ha.encode());
                    assertTrue(s.getLong("diffMessages") >= 200_000, "lag in messages visible: " + ha.encode());
                    System.out.printf("suspended slave: %,d bytes and %,d messages behind%n", s.getLong("diff"),
                            s.getLong("diffMessages"));
                } finally {
                    signal("CONT", slave.pid());
                }
                awaitDrained(remoting, masterAddr);

                // 2. killed while the sends go on, restarted on its store while they still go on
                AtomicInteger sent = new AtomicInteger(400_000);
                AtomicReference<Throwable> failure = new AtomicReference<>();
                Thread sender = new Thread(() -> {
                    try {
                        sendRange(producer, topic, 400_000, MESSAGES, sent);
                    } catch (Throwable e) {
                        failure.set(e);
                    }
                }, "million-sender");
                sender.start();
                Await.until("half the remaining sends", 300_000, () -> sent.get() >= 550_000 || !sender.isAlive());
                slave.kill();
                Await.until("most of the sends with the slave down", 300_000,
                        () -> sent.get() >= 800_000 || !sender.isAlive());
                slave = TernProcess.start("slave-again", command("broker"), workDir, slaveEnv);
                slave.awaitLine(TernProcess.readyMarker("broker"), 120_000);
                sender.join(300_000);
                assertEquals(null, failure.get(), "the sends succeeded");
                assertEquals(MESSAGES, sent.get());
                masterEnd = awaitDrained(remoting, masterAddr);
                JsonObject slaveHa = haStatus(remoting, slaveAddr(slaveEnv));
                assertEquals(masterEnd, slaveHa.getJsonObject("haClientRuntimeInfo").getLong("maxOffset"),
                        "the restarted slave ends where the master does");

                assertEquals(143, master.terminate(60_000), "the master stops gracefully");
                BitSet read = consumeFromSlave(namesrvAddr, topic);
                assertEquals(MESSAGES, read.cardinality(), "every message read from the slave");
                assertEquals(143, slave.terminate(60_000), "the slave stops gracefully");
            } finally {
                Clients.shutdown(producer);
                remoting.shutdown();
                master.close();
                slave.close();
            }
        }

        Vertx vertx = Vertx.vertx();
        MessageStore slaveStore = MessageStores.open(vertx, storeConfig(slaveRoot));
        MessageStore masterStore = MessageStores.open(vertx, storeConfig(masterRoot));
        try {
            assertEquals(masterEnd, slaveStore.replicaLog().maxOffset());
            assertIdentical(masterStore.replicaLog(), slaveStore.replicaLog(), masterEnd);
            int[] copies = countCopies(slaveStore, topic);
            List<Integer> wrong = new ArrayList<>();
            for (int seq = 0; seq < MESSAGES && wrong.size() < 10; seq++) {
                if (copies[seq] != 1) {
                    wrong.add(seq);
                }
            }
            assertTrue(wrong.isEmpty(), "messages not exactly once in the slave's queues: " + wrong);
        } finally {
            slaveStore.shutdown();
            masterStore.shutdown();
            vertx.close().await(60, TimeUnit.SECONDS);
        }
    }

    /** Sends messages [from, to) in batches of {@link #BATCH} from {@link #SENDER_THREADS} threads. */
    private static void sendRange(DefaultMQProducer producer, String topic, int from, int to, AtomicInteger sent)
            throws Exception {
        AtomicInteger next = new AtomicInteger(from);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < SENDER_THREADS; t++) {
            Thread thread = new Thread(() -> {
                int first;
                while (failure.get() == null && (first = next.getAndAdd(BATCH)) < to) {
                    List<Message> batch = new ArrayList<>(BATCH);
                    for (int seq = first; seq < Math.min(to, first + BATCH); seq++) {
                        batch.add(new Message(topic, Integer.toString(seq).getBytes(StandardCharsets.UTF_8)));
                    }
                    try {
                        SendResult r = producer.send(batch);
                        assertEquals(SendStatus.SEND_OK, r.getSendStatus());
                        sent.addAndGet(batch.size());
                    } catch (Throwable e) {
                        failure.set(e);
                    }
                }
            }, "sender-" + t);
            thread.start();
            threads.add(thread);
        }
        for (Thread thread : threads) {
            thread.join();
        }
        if (failure.get() != null) {
            throw new AssertionError("a batch send failed", failure.get());
        }
    }

    /** Waits until the master's one slave acknowledged the master's end with nothing lacking; returns that end. */
    private static long awaitDrained(NettyRemotingClient remoting, String masterAddr) {
        AtomicReference<JsonObject> last = new AtomicReference<>();
        Await.until("the slave's lag drained to zero", 180_000, () -> {
            JsonObject ha = haStatus(remoting, masterAddr);
            last.set(ha);
            JsonObject s = slaveConnection(ha);
            return s != null && s.getBoolean("streaming") && s.getLong("diff") == 0 && s.getLong("diffMessages") == 0
                    && s.getLong("slaveAckOffset").equals(ha.getLong("masterCommitLogMaxOffset"));
        }, () -> String.valueOf(last.get()));
        return last.get().getLong("masterCommitLogMaxOffset");
    }

    private static JsonObject slaveConnection(JsonObject ha) {
        JsonArray connections = ha.getJsonArray("haConnectionInfo");
        for (int i = 0; connections != null && i < connections.size(); i++) {
            if (connections.getJsonObject(i).getLong("brokerId") == 1) {
                return connections.getJsonObject(i);
            }
        }
        return null;
    }

    /** GET_BROKER_HA_STATUS (907) over the official client's remoting. */
    private static JsonObject haStatus(NettyRemotingClient remoting, String brokerAddr) {
        try {
            RemotingCommand response = remoting.invokeSync(brokerAddr, RemotingCommand.createRequestCommand(907, null),
                    10_000);
            assertEquals(0, response.getCode(), String.valueOf(response.getRemark()));
            return new JsonObject(new String(response.getBody(), StandardCharsets.UTF_8));
        } catch (Exception e) {
            throw new AssertionError("GET_BROKER_HA_STATUS of " + brokerAddr, e);
        }
    }

    private static BitSet consumeFromSlave(String namesrvAddr, String topic) throws Exception {
        DefaultMQPushConsumer consumer = Clients.pushConsumer(namesrvAddr, Clients.unique("HaMillionReader"));
        consumer.setConsumeMessageBatchMaxSize(32);
        BitSet read = new BitSet(MESSAGES);
        AtomicInteger count = new AtomicInteger();
        try {
            consumer.subscribe(topic, "*");
            consumer.registerMessageListener((MessageListenerConcurrently) (msgs, context) -> {
                synchronized (read) {
                    for (MessageExt m : msgs) {
                        read.set(Integer.parseInt(new String(m.getBody(), StandardCharsets.UTF_8)));
                    }
                }
                count.addAndGet(msgs.size());
                return ConsumeConcurrentlyStatus.CONSUME_SUCCESS;
            });
            consumer.start();
            Await.until("every message from the slave", 300_000, () -> {
                synchronized (read) {
                    return read.cardinality() == MESSAGES;
                }
            }, () -> "read " + count.get());
            synchronized (read) {
                return (BitSet) read.clone();
            }
        } finally {
            Clients.shutdown(consumer);
        }
    }

    /** How often each sequence number is in the store's queues of {@code topic}. */
    private static int[] countCopies(MessageStore store, String topic) {
        int[] copies = new int[MESSAGES];
        for (int queueId = 0; queueId < 16; queueId++) {
            long offset = store.minOffsetInQueue(topic, queueId);
            long max = store.maxOffsetInQueue(topic, queueId);
            while (offset < max) {
                GetResult r = store.get(topic, queueId, offset, 32, 1 << 20, MessageFilter.ALL);
                assertEquals(GetResult.GetStatus.FOUND, r.status(), topic + "-" + queueId + " at " + offset);
                for (ByteBuffer record : r.messages()) {
                    MessageExt m = MessageDecoder.decode(record.duplicate(), true, false);
                    copies[Integer.parseInt(new String(m.getBody(), StandardCharsets.UTF_8))]++;
                }
                offset = r.nextBeginOffset();
            }
        }
        return copies;
    }

    private static void assertIdentical(ReplicaLog master, ReplicaLog slave, long end) {
        long at = Math.max(master.minOffset(), slave.minOffset());
        assertEquals(0, at, "nothing deleted by retention");
        byte[] mb = new byte[1 << 20];
        byte[] sb = new byte[1 << 20];
        while (at < end) {
            ByteBuffer m = master.read(at, (int) Math.min(mb.length, end - at));
            ByteBuffer s = slave.read(at, m.remaining());
            int n = m.remaining();
            assertEquals(n, s.remaining(), "the slave holds the bytes at " + at);
            m.get(mb, 0, n);
            s.get(sb, 0, n);
            if (!java.util.Arrays.equals(mb, 0, n, sb, 0, n)) {
                assertArrayEquals(java.util.Arrays.copyOf(mb, n), java.util.Arrays.copyOf(sb, n),
                        "commit logs differ in the chunk at " + at);
            }
            at += n;
        }
    }

    private static void signal(String signal, long pid) throws Exception {
        Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(pid))
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectErrorStream(true).start();
        assertEquals(0, kill.waitFor(), "kill -" + signal + " " + pid);
    }

    private static String slaveAddr(Map<String, String> env) {
        return "127.0.0.1:" + env.get("TERN_BROKER_PORT");
    }

    private static List<String> command(String role) {
        return TernProcess.fatJarCommand(role, "384m", List.of(
                "-Dtern.broker.store.commitLogSegmentBytes=" + SEGMENT_BYTES,
                "-Dtern.broker.registerNameServerPeriodMs=2000",
                // a suspended slave stays connected while the lag is shown (it is dropped after 4 silent intervals)
                "-Dtern.broker.haHeartbeatIntervalMs=15000"));
    }

    private static Map<String, String> brokerEnv(String namesrvAddr, int port, Path root, String role, int id) {
        return TernProcess.brokerEnv(namesrvAddr, port, root, "broker-million", role, id);
    }

    private static StoreConfig storeConfig(Path root) {
        StoreConfig c = new StoreConfig(root.toString());
        c.commitLogSegmentBytes = SEGMENT_BYTES;
        c.warmMappedFile = false;
        return c;
    }
}

package io.tern.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tern.broker.Broker;
import io.tern.server.EmbeddedTern;
import io.tern.server.EmbeddedTernOptions;
import io.tern.store.GetResult;
import io.tern.store.MessageFilter;
import io.tern.store.MessageStore;
import io.tern.store.MessageStores;
import io.tern.store.PutResult;
import io.tern.store.ReplicaLog;
import io.tern.store.StoreConfig;
import io.tern.store.StoreMessage;
import io.vertx.core.json.JsonObject;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.rocketmq.client.consumer.DefaultMQPushConsumer;
import org.apache.rocketmq.client.producer.DefaultMQProducer;
import org.apache.rocketmq.client.producer.SendResult;
import org.apache.rocketmq.client.producer.SendStatus;
import org.apache.rocketmq.common.message.Message;
import org.apache.rocketmq.common.message.MessageDecoder;
import org.apache.rocketmq.common.protocol.route.BrokerData;
import org.apache.rocketmq.common.protocol.route.TopicRouteData;
import org.apache.rocketmq.tools.admin.DefaultMQAdminExt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A broker group in one JVM (master + slave, real sockets and files, the official 4.9.8 client): the slave's
 * commit log becomes byte-identical to the master's, catches up after being stopped, cuts a tail that diverged,
 * and serves consumers when the master is gone; a SYNC_MASTER answers SEND_OK only with its slave attached.
 */
class ReplicationTest {
    private static final int MASTER = 0;
    private static final int SLAVE = 1;

    @TempDir
    Path storeRoot;

    private static ReplicaLog log(EmbeddedTern tern, int index) {
        return tern.broker(index).components().store().replicaLog();
    }

    private static void awaitCaughtUp(EmbeddedTern tern) {
        Await.until("the slave at the master's end", 60_000,
                () -> log(tern, SLAVE).maxOffset() == log(tern, MASTER).maxOffset(),
                () -> "master " + log(tern, MASTER).maxOffset() + ", slave " + log(tern, SLAVE).maxOffset());
    }

    private static byte[] bytes(ReplicaLog log, long from, long to) {
        byte[] out = new byte[(int) (to - from)];
        long at = from;
        while (at < to) {
            ByteBuffer b = log.read(at, (int) Math.min(1 << 20, to - at));
            int n = b.remaining();
            b.get(out, (int) (at - from), n);
            at += n;
        }
        return out;
    }

    private static void assertIdentical(EmbeddedTern tern) {
        long end = log(tern, SLAVE).maxOffset();
        assertTrue(end > 0);
        assertArrayEquals(bytes(log(tern, MASTER), 0, end), bytes(log(tern, SLAVE), 0, end),
                "slave's commit log byte-identical to the master's up to " + end);
    }

    private static Set<String> send(DefaultMQProducer producer, String topic, String prefix, int n) throws Exception {
        Set<String> keys = new HashSet<>();
        for (int i = 0; i < n; i++) {
            String key = prefix + i;
            SendResult r = producer.send(new Message(topic, "TagA", key, (key + "-" + "b".repeat(i % 200))
                    .getBytes(StandardCharsets.UTF_8)));
            assertEquals(SendStatus.SEND_OK, r.getSendStatus(), key);
            keys.add(key);
        }
        return keys;
    }

    @Test
    void asyncMasterReplicatesAndAStoppedSlaveCatchesUp() throws Exception {
        try (EmbeddedTern tern = EmbeddedTern.start(new EmbeddedTernOptions(storeRoot).slaves(1))) {
            String topic = Clients.unique("Ha");
            DefaultMQProducer producer = Clients.producer(tern.namesrvAddr());
            DefaultMQAdminExt admin = Clients.admin(tern.namesrvAddr());
            try {
                producer.start();
                admin.start();
                send(producer, topic, "first-", 500);
                awaitCaughtUp(tern);
                assertIdentical(tern);
                Await.until("master and slave in the route", 30_000, () -> routeIds(admin, topic).equals(Set.of(0L, 1L)));
                Map<Long, String> addrs = admin.examineTopicRouteInfo(topic).getBrokerDatas().get(0).getBrokerAddrs();
                assertEquals(tern.brokerAddr(MASTER), addrs.get(0L));
                assertEquals(tern.brokerAddr(SLAVE), addrs.get(1L));

                assertTrue(tern.broker(MASTER).components().replication().masterPolling());
                tern.stopBroker(SLAVE);
                // a master with no slave keeps no poll timer (it would wake an event loop 200 times a second)
                Await.until("the master stopped polling for its gone slave", 30_000,
                        () -> !tern.broker(MASTER).components().replication().masterPolling());
                send(producer, topic, "while-down-", 1000);
                tern.startBroker(SLAVE);
                awaitCaughtUp(tern);
                assertIdentical(tern);
                assertTrue(tern.broker(MASTER).components().replication().masterPolling());
                Await.until("the lag drained to zero on both sides", 30_000, () -> {
                    JsonObject master = tern.broker(MASTER).components().replication().status();
                    JsonObject slave = tern.broker(SLAVE).components().replication().status();
                    return master.getJsonArray("slaves").size() == 1
                            && master.getJsonArray("slaves").getJsonObject(0).getLong("lagBytes") == 0
                            && Long.valueOf(0).equals(slave.getLong("lagBytes"));
                }, () -> tern.broker(MASTER).components().replication().status() + " / "
                        + tern.broker(SLAVE).components().replication().status());
                Broker slave = tern.broker(SLAVE);
                assertEquals(tern.broker(MASTER).components().store().maxOffsetInQueue(topic, 0),
                        slave.components().store().maxOffsetInQueue(topic, 0), "the slave dispatched its queues");
                PutResult refused = slave.components().store().put(storeMessage(topic)).join();
                assertEquals(PutResult.PutStatus.SERVICE_NOT_AVAILABLE, refused.status(), "a slave takes no puts");
            } finally {
                Clients.shutdown(producer, admin);
            }
        }
    }

    @Test
    void aSlaveWithADivergedTailTruncatesIt() throws Exception {
        EmbeddedTernOptions options = new EmbeddedTernOptions(storeRoot).slaves(1);
        try (EmbeddedTern tern = EmbeddedTern.start(options)) {
            String topic = Clients.unique("Diverge");
            DefaultMQProducer producer = Clients.producer(tern.namesrvAddr());
            try {
                producer.start();
                send(producer, topic, "common-", 200);
                awaitCaughtUp(tern);
                long common = log(tern, SLAVE).maxOffset();
                tern.stopBroker(SLAVE);

                long divergedEnd = divergeSlave(tern, 30, topic);
                send(producer, topic, "after-", 100);
                assertTrue(log(tern, MASTER).maxOffset() > divergedEnd, "the master went further: a boundary mismatch");

                tern.startBroker(SLAVE);
                awaitCaughtUp(tern);
                assertIdentical(tern);
                assertTrue(log(tern, SLAVE).maxOffset() > common);
                assertSameQueues(tern, topic);
            } finally {
                Clients.shutdown(producer);
            }
        }
    }

    @Test
    void aSlaveAheadOfItsMasterCutsBackToIt() throws Exception {
        try (EmbeddedTern tern = EmbeddedTern.start(new EmbeddedTernOptions(storeRoot).slaves(1))) {
            String topic = Clients.unique("Ahead");
            DefaultMQProducer producer = Clients.producer(tern.namesrvAddr());
            try {
                producer.start();
                send(producer, topic, "common-", 200);
                awaitCaughtUp(tern);
                tern.stopBroker(SLAVE);
                long masterEnd = log(tern, MASTER).maxOffset();
                assertTrue(divergeSlave(tern, 40, topic) > masterEnd, "the slave ends beyond its master");

                tern.startBroker(SLAVE);
                awaitCaughtUp(tern);
                assertEquals(masterEnd, log(tern, SLAVE).maxOffset(), "cut back to the master's end");
                assertIdentical(tern);
                send(producer, topic, "after-", 20);
                awaitCaughtUp(tern);
                assertIdentical(tern);
            } finally {
                Clients.shutdown(producer);
            }
        }
    }

    /** The slave's queues of {@code topic} hold exactly the master's records: the cut tail left no entries behind. */
    private static void assertSameQueues(EmbeddedTern tern, String topic) {
        MessageStore master = tern.broker(MASTER).components().store();
        MessageStore slave = tern.broker(SLAVE).components().store();
        Await.until("the slave dispatched the master's records", 30_000, () -> {
            for (int q = 0; q < 8; q++) {
                if (master.maxOffsetInQueue(topic, q) != slave.maxOffsetInQueue(topic, q)) {
                    return false;
                }
            }
            return true;
        });
        for (int q = 0; q < 8; q++) {
            for (long offset = 0; offset < master.maxOffsetInQueue(topic, q); ) {
                GetResult m = master.get(topic, q, offset, 32, 1 << 20, MessageFilter.ALL);
                GetResult s = slave.get(topic, q, offset, 32, 1 << 20, MessageFilter.ALL);
                assertEquals(m.messages(), s.messages(), topic + "-" + q + " from " + offset);
                for (ByteBuffer record : s.messages()) {
                    String body = new String(MessageDecoder.decode(record.duplicate(), true, false).getBody(),
                            StandardCharsets.UTF_8);
                    assertTrue(!body.equals("local"), "a record of the cut tail is still in the queue: " + body);
                }
                offset = m.nextBeginOffset();
            }
        }
    }

    /** Stopped slave's store takes {@code n} records of its own: a history its master never had. Returns its end. */
    private long divergeSlave(EmbeddedTern tern, int n, String topic) throws Exception {
        StoreConfig config = new StoreConfig(storeRoot.resolve("broker-a-1").toString());
        config.commitLogSegmentBytes = EmbeddedTernOptions.DEFAULT_SEGMENT_BYTES;
        config.warmMappedFile = false;
        MessageStore store = MessageStores.open(tern.vertx(), config);
        try {
            for (int i = 0; i < n; i++) {
                assertTrue(store.put(storeMessage(topic)).join().isStored());
            }
            return store.replicaLog().maxOffset();
        } finally {
            store.shutdown();
        }
    }

    @Test
    void syncMasterAnswersSendOkOnlyWithItsSlave() throws Exception {
        EmbeddedTernOptions options = new EmbeddedTernOptions(storeRoot).slaves(1).brokerRole("SYNC_MASTER");
        try (EmbeddedTern tern = EmbeddedTern.start(options)) {
            String topic = Clients.unique("Sync");
            DefaultMQProducer producer = Clients.producer(tern.namesrvAddr());
            try {
                producer.start();
                Await.until("the slave attached", 30_000, () -> !tern.broker(MASTER).components().replication()
                        .slaves().isEmpty() && tern.broker(MASTER).components().replication().slaves().get(0).streaming());
                for (int i = 0; i < 100; i++) {
                    SendResult r = producer.send(new Message(topic, ("sync-" + i).getBytes(StandardCharsets.UTF_8)));
                    assertEquals(SendStatus.SEND_OK, r.getSendStatus());
                    long offset = MessageDecoder.decodeMessageId(r.getOffsetMsgId()).getOffset();
                    assertTrue(log(tern, SLAVE).maxOffset() > offset, "the slave had message " + i + " at SEND_OK");
                }
                // the slave's ACK completes the waiting puts on the master's replication event loop, without a hop
                // to the replication worker first (a put answered before the dependent attaches runs it here)
                Set<String> completedOn = new HashSet<>();
                for (int i = 0; i < 50; i++) {
                    completedOn.add(tern.broker(MASTER).components().store().put(storeMessage(topic))
                            .thenApply(r -> {
                                assertTrue(r.isStored(), r.toString());
                                return Thread.currentThread().getName();
                            }).join());
                }
                assertTrue(completedOn.stream().noneMatch(name -> name.startsWith("tern-ha-master")), completedOn.toString());
                assertTrue(completedOn.stream().anyMatch(name -> name.startsWith("vert.x-eventloop")), completedOn.toString());

                tern.stopBroker(SLAVE);
                Await.until("the master to see its slave gone", 30_000,
                        () -> tern.broker(MASTER).components().replication().slaves().isEmpty());
                SendResult r = producer.send(new Message(topic, "alone".getBytes(StandardCharsets.UTF_8)));
                assertEquals(SendStatus.SLAVE_NOT_AVAILABLE, r.getSendStatus());

                tern.startBroker(SLAVE);
                Await.until("a SEND_OK again once the slave is back", 60_000, () -> sendOk(producer, topic));
                awaitCaughtUp(tern);
                assertIdentical(tern);
            } finally {
                Clients.shutdown(producer);
            }
        }
    }

    @Test
    void aConsumerReadsFromTheSlaveWhenTheMasterIsGone() throws Exception {
        EmbeddedTernOptions options = new EmbeddedTernOptions(storeRoot).slaves(1)
                .broker("metadataSyncIntervalMs", 500);
        try (EmbeddedTern tern = EmbeddedTern.start(options)) {
            String topic = Clients.unique("ReadSlave");
            DefaultMQProducer producer = Clients.producer(tern.namesrvAddr());
            String group = Clients.unique("CG");
            DefaultMQPushConsumer consumer = Clients.pushConsumer(tern.namesrvAddr(), group);
            consumer.setPollNameServerInterval(500);
            consumer.setPersistConsumerOffsetInterval(500);
            producer.setPollNameServerInterval(500);
            Received received = new Received();
            try {
                producer.start();
                Set<String> sent = send(producer, topic, "m-", 300);
                awaitCaughtUp(tern);
                Await.until("the slave to learn the topic from its master", 30_000,
                        () -> tern.broker(SLAVE).components().topics().get(topic) != null);

                tern.stopBroker(MASTER);
                consumer.subscribe(topic, "*");
                consumer.registerMessageListener(received);
                consumer.start();
                Await.until("all 300 from the slave", 90_000,
                        () -> GracefulRestartTest.keys(received).containsAll(sent),
                        () -> "received " + received.count());
                Set<String> hosts = new HashSet<>();
                received.all().forEach(m -> hosts.add(m.getStoreHost().toString().replaceFirst("^.*/", "")));
                assertEquals(Set.of(tern.brokerAddr(MASTER)), hosts, "records keep the master's store host");
                Await.until("the consumer's offsets committed to the slave", 30_000,
                        () -> committed(tern.broker(SLAVE), group, topic) == 300);

                // the master returns: the group's progress is not lost, nothing is read twice, new messages flow
                tern.startBroker(MASTER);
                Set<String> later = send(producer, topic, "later-", 50);
                Await.until("the 50 sent after the master returned", 90_000,
                        () -> GracefulRestartTest.keys(received).containsAll(later),
                        () -> "received " + received.count());
                Await.until("the master to know the group's offsets", 60_000,
                        () -> committed(tern.broker(MASTER), group, topic) == 350,
                        () -> "master has " + committed(tern.broker(MASTER), group, topic));
                consumer.shutdown();
                assertEquals(List.of(), received.duplicates, "nothing consumed twice");

                received.clear();
                DefaultMQPushConsumer again = Clients.pushConsumer(tern.namesrvAddr(), group);
                consumer = again;
                again.subscribe(topic, "*");
                again.registerMessageListener(received);
                again.start();
                Set<String> marker = send(producer, topic, "marker-", 1);
                Await.until("the marker sent after the consumer restarted", 90_000,
                        () -> GracefulRestartTest.keys(received).containsAll(marker));
                assertEquals(marker, GracefulRestartTest.keys(received), "a restarted consumer resumes after 350");
            } finally {
                Clients.shutdown(consumer, producer);
            }
        }
    }

    private static long committed(Broker broker, String group, String topic) {
        return broker == null ? -1 : broker.components().offsets().queryAll(group, topic).values().stream()
                .mapToLong(Long::longValue).sum();
    }

    private static Set<Long> routeIds(DefaultMQAdminExt admin, String topic) {
        try {
            TopicRouteData route = admin.examineTopicRouteInfo(topic);
            BrokerData bd = route.getBrokerDatas().get(0);
            return bd.getBrokerAddrs().keySet();
        } catch (Exception notYet) {
            return Set.of();
        }
    }

    private static boolean sendOk(DefaultMQProducer producer, String topic) {
        try {
            return producer.send(new Message(topic, "back".getBytes(StandardCharsets.UTF_8))).getSendStatus()
                    == SendStatus.SEND_OK;
        } catch (Exception e) {
            return false;
        }
    }

    private static StoreMessage storeMessage(String topic) {
        StoreMessage m = new StoreMessage();
        m.topic = topic;
        m.queueId = 0;
        m.body = ByteBuffer.wrap("local".getBytes(StandardCharsets.UTF_8));
        m.properties = "";
        m.bornHostAddress = new byte[] {127, 0, 0, 1};
        m.storeHostAddress = new byte[] {127, 0, 0, 1};
        return m;
    }
}

package io.tern.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tern.remoting.RemotingClient;
import io.tern.remoting.controller.ControllerWire;
import io.tern.remoting.controller.ControllerWire.GroupView;
import io.tern.remoting.protocol.RemotingCommand;
import io.tern.store.GetResult;
import io.tern.store.MessageFilter;
import io.tern.store.MessageStore;
import io.tern.store.MessageStores;
import io.tern.store.StoreConfig;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.rocketmq.client.consumer.DefaultMQPushConsumer;
import org.apache.rocketmq.client.producer.DefaultMQProducer;
import org.apache.rocketmq.client.producer.SendResult;
import org.apache.rocketmq.client.producer.SendStatus;
import org.apache.rocketmq.common.message.Message;
import org.apache.rocketmq.common.message.MessageDecoder;
import org.apache.rocketmq.common.message.MessageExt;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 12, with separate processes and the official 4.9.8 client: a nameserver with an embedded controller and a
 * broker group of three replicas in controller mode (SYNC_MASTER, inSyncReplicas 2, SYNC_FLUSH). Two producers send
 * without pause (client retries off: one SEND_OK is one stored copy) while the master is killed with SIGKILL, five
 * rounds. Each round: the controller elects a member of the SyncStateSet under a new epoch and the new master takes
 * sends within 15 s of the kill; the old master, restarted on its store, truncates to the agreed point and rejoins
 * as a slave. Afterwards every SEND_OK message is consumed, and the last master's log holds each exactly once.
 */
class ControllerFailoverTest {
    private static final int ROUNDS = 5;
    private static final long SEGMENT_BYTES = 1 << 20;
    private static final String GROUP = "broker-ha";

    @TempDir
    Path storeRoot;
    @TempDir
    Path workDir;

    private final Vertx vertx = Vertx.vertx();
    private final RemotingClient client = new RemotingClient(vertx);
    private final List<TernProcess> processes = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (TernProcess p : processes) {
            p.close();
        }
        client.close().await(30, TimeUnit.SECONDS);
        vertx.close().await(30, TimeUnit.SECONDS);
    }

    @Test
    void killNineOfTheMasterElectsAnInSyncSlaveAndNoSendOkIsLost() throws Exception {
        int nameServerPort = TernProcess.freePort();
        int controllerPort = TernProcess.freePort();
        String namesrvAddr = "127.0.0.1:" + nameServerPort;
        String controllerAddr = "127.0.0.1:" + controllerPort;
        TernProcess nameServer = start("namesrv", List.of(
                "-Dtern.nameserver.controllerEnabled=true",
                "-Dtern.nameserver.controllerListenPort=" + controllerPort,
                "-Dtern.nameserver.controllerRaftPort=" + TernProcess.freePort(),
                "-Dtern.nameserver.controllerStorePath=" + storeRoot.resolve("controller")), "nameserver",
                Map.of("TERN_NAMESERVER_PORT", Integer.toString(nameServerPort)));
        nameServer.awaitLine(TernProcess.readyMarker("nameserver"), 120_000);

        Map<Long, Map<String, String>> envs = new HashMap<>();
        Map<Long, TernProcess> replicas = new HashMap<>();
        for (long id = 1; id <= 3; id++) {
            envs.put(id, brokerEnv(namesrvAddr, id));
            replicas.put(id, startBroker(id, envs.get(id), controllerAddr, 0));
        }
        GroupView first = awaitGroup(controllerAddr, "a master with a full SyncStateSet", 120_000,
                v -> v.masterId() > 0 && v.syncStateSet().size() == 3);

        String topic = Clients.unique("Failover");
        Set<String> acknowledged = ConcurrentHashMap.newKeySet();
        AtomicBoolean stop = new AtomicBoolean();
        List<Thread> senders = new ArrayList<>();
        List<AtomicLong> lastOkNanos = new ArrayList<>();
        List<DefaultMQProducer> producers = new ArrayList<>();
        try {
            for (int p = 0; p < 2; p++) {
                DefaultMQProducer producer = Clients.producer(namesrvAddr);
                producer.setRetryTimesWhenSendFailed(0);
                producer.setSendMsgTimeout(3_000);
                producer.start();
                producers.add(producer);
                AtomicLong lastOk = new AtomicLong();
                lastOkNanos.add(lastOk);
                String prefix = "p" + p + "-";
                awaitSendOk(producer, topic, prefix + "first", acknowledged, 60_000);
                Thread sender = new Thread(() -> {
                    for (int seq = 0; !stop.get(); seq++) {
                        String key = prefix + seq;
                        try {
                            SendResult r = producer.send(message(topic, key));
                            if (r.getSendStatus() == SendStatus.SEND_OK) {
                                acknowledged.add(key);
                                lastOk.set(System.nanoTime());
                            }
                        } catch (Exception e) {
                            Await.sleep(50);
                        }
                    }
                }, "sender-" + p);
                sender.start();
                senders.add(sender);
            }

            GroupView view = first;
            long lastFailoverNanos = 0;
            for (int round = 1; round <= ROUNDS; round++) {
                long master = view.masterId();
                int epoch = view.epoch();
                Await.sleep(ThreadLocalRandom.current().nextLong(1_000, 3_000));
                int before = acknowledged.size();
                replicas.get(master).kill();
                long killedAt = System.nanoTime();
                GroupView elected = awaitGroup(controllerAddr, "a new master after killing replica " + master,
                        60_000, v -> v.epoch() > epoch && v.masterId() != master);
                assertTrue(first.replicas().containsKey(elected.masterId()));
                DefaultMQProducer probe = Clients.producer(namesrvAddr);
                probe.setRetryTimesWhenSendFailed(0);
                probe.setSendMsgTimeout(3_000);
                probe.start();
                try {
                    awaitSendOk(probe, topic, "probe-" + round, acknowledged, 60_000);
                } finally {
                    Clients.shutdown(probe);
                }
                long servingMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killedAt);
                lastFailoverNanos = System.nanoTime();
                System.out.printf("round %d: killed master %d (epoch %d); replica %d master of epoch %d, taking sends "
                        + "%d ms after the kill; %d SEND_OK meanwhile (total %d)%n", round, master, epoch,
                        elected.masterId(), elected.epoch(), servingMs, acknowledged.size() - before,
                        acknowledged.size());
                assertTrue(servingMs < 15_000, "new master serving " + servingMs + " ms after the kill");

                TernProcess returned = startBroker(master, envs.get(master), controllerAddr, round);
                replicas.put(master, returned);
                returned.awaitLine("slave of replica " + elected.masterId(), 120_000);
                view = awaitGroup(controllerAddr, "replica " + master + " back in the SyncStateSet", 120_000,
                        v -> v.syncStateSet().size() == 3);
            }
            long resumeBy = lastFailoverNanos;
            Await.until("both producers taking SEND_OK again after the last failover", 90_000,
                    () -> lastOkNanos.stream().allMatch(t -> t.get() > resumeBy));
        } finally {
            stop.set(true);
            for (Thread sender : senders) {
                sender.join(15_000);
            }
            producers.forEach(Clients::shutdown);
        }
        assertTrue(acknowledged.size() > ROUNDS * 2, "sends were acknowledged: " + acknowledged.size());

        Set<String> consumed = consumeAll(namesrvAddr, topic, acknowledged);
        GroupView last = group(controllerAddr);
        for (TernProcess p : replicas.values()) {
            assertEquals(143, p.terminate(60_000), "a replica stops gracefully on SIGTERM");
        }
        Map<Long, Map<String, Integer>> copies = new HashMap<>();
        for (long id = 1; id <= 3; id++) {
            copies.put(id, countKeys(storeRoot.resolve("r" + id), topic));
        }
        List<String> notConsumed = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        List<String> twice = new ArrayList<>();
        for (String key : acknowledged) {
            int n = copies.get(last.masterId()).getOrDefault(key, 0);
            if (!consumed.contains(key)) {
                notConsumed.add(key + copiesOf(copies, key));
            }
            if (n == 0) {
                missing.add(key + copiesOf(copies, key));
            } else if (n > 1) {
                twice.add(key + "x" + n);
            }
        }
        notConsumed.sort(null);
        missing.sort(null);
        assertTrue(missing.isEmpty(), missing.size() + " SEND_OK messages missing on the last master (replica "
                + last.masterId() + "): " + missing.subList(0, Math.min(20, missing.size())));
        assertTrue(twice.isEmpty(), "SEND_OK messages stored twice: " + twice.subList(0, Math.min(10, twice.size())));
        assertTrue(notConsumed.isEmpty(), notConsumed.size() + " SEND_OK messages not consumed: "
                + notConsumed.subList(0, Math.min(20, notConsumed.size())));
    }

    private static String copiesOf(Map<Long, Map<String, Integer>> copies, String key) {
        StringBuilder s = new StringBuilder("[");
        copies.forEach((id, c) -> s.append(' ').append(id).append(':').append(c.getOrDefault(key, 0)));
        return s.append(" ]").toString();
    }

    private TernProcess start(String name, List<String> properties, String role, Map<String, String> env)
            throws Exception {
        List<String> command = new ArrayList<>(List.of(TernProcess.javaBinary().toString(), "-Xmx256m"));
        command.addAll(properties);
        command.addAll(List.of("-jar", TernProcess.serverJar().toString(), role));
        TernProcess p = TernProcess.start(name, command, workDir, env);
        processes.add(p);
        return p;
    }

    private TernProcess startBroker(long id, Map<String, String> env, String controllerAddr, int round)
            throws Exception {
        TernProcess p = start("r" + id + (round == 0 ? "" : "-restart" + round), List.of(
                "-Dtern.broker.store.commitLogSegmentBytes=" + SEGMENT_BYTES,
                "-Dtern.broker.registerNameServerPeriodMs=2000",
                "-Dtern.broker.metadataSyncIntervalMs=1000",
                "-Dtern.broker.inSyncReplicas=2",
                "-Dtern.broker.controllerMode=true",
                "-Dtern.broker.controllerAddr=" + controllerAddr), "broker", env);
        p.awaitLine(TernProcess.readyMarker("broker"), 120_000);
        return p;
    }

    private Map<String, String> brokerEnv(String namesrvAddr, long id) throws Exception {
        Map<String, String> env = new HashMap<>();
        env.put("TERN_NAMESERVER_ADDR", namesrvAddr);
        env.put("TERN_BROKER_PORT", Integer.toString(TernProcess.freePort()));
        env.put("TERN_HA_PORT", Integer.toString(TernProcess.freePort()));
        env.put("TERN_HTTP_PORT", "-1");
        env.put("TERN_STORE_ROOT", storeRoot.resolve("r" + id).toString());
        env.put("TERN_FLUSH_MODE", "SYNC_FLUSH");
        env.put("TERN_BROKER_NAME", GROUP);
        env.put("TERN_BROKER_ROLE", "SYNC_MASTER");
        env.put("TERN_BROKER_ID", Long.toString(id));
        return env;
    }

    /** The group as the controller answers GET_CONTROLLER_STATE; null while it has none. */
    private GroupView group(String controllerAddr) {
        try {
            RemotingCommand r = client.invoke(controllerAddr,
                    RemotingCommand.request(ControllerWire.GET_CONTROLLER_STATE), 5_000).await(10, TimeUnit.SECONDS);
            JsonArray groups = new JsonObject(new String(r.bodyBytes(), StandardCharsets.UTF_8))
                    .getJsonArray("groups");
            for (int i = 0; i < groups.size(); i++) {
                if (GROUP.equals(groups.getJsonObject(i).getString("group"))) {
                    return GroupView.fromJson(groups.getJsonObject(i));
                }
            }
        } catch (Exception e) {
            // not answering yet
        }
        return null;
    }

    private GroupView awaitGroup(String controllerAddr, String what, long timeoutMs,
                                 java.util.function.Predicate<GroupView> check) {
        GroupView[] seen = new GroupView[1];
        Await.until(what, timeoutMs, () -> {
            seen[0] = group(controllerAddr);
            if (seen[0] != null && check.test(seen[0])) {
                return true;
            }
            Await.sleep(200);
            return false;
        }, () -> "controller says " + seen[0]);
        return seen[0];
    }

    private static void awaitSendOk(DefaultMQProducer producer, String topic, String key, Set<String> acknowledged,
                                    long timeoutMs) {
        Await.until("a SEND_OK for " + key, timeoutMs, () -> {
            try {
                if (producer.send(message(topic, key)).getSendStatus() == SendStatus.SEND_OK) {
                    acknowledged.add(key);
                    return true;
                }
            } catch (Exception notYet) {
                // no route or no master yet
            }
            Await.sleep(200);
            return false;
        });
    }

    /** What a new consumer group reads of {@code topic}, once it has every expected key or after 120 s. */
    private static Set<String> consumeAll(String namesrvAddr, String topic, Set<String> expected) throws Exception {
        DefaultMQPushConsumer consumer = Clients.pushConsumer(namesrvAddr, Clients.unique("FailoverReader"));
        Received received = new Received();
        try {
            consumer.subscribe(topic, "*");
            consumer.registerMessageListener(received);
            consumer.start();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            while (!GracefulRestartTest.keys(received).containsAll(expected) && System.nanoTime() < deadline) {
                Await.sleep(200);
            }
            return GracefulRestartTest.keys(received);
        } finally {
            Clients.shutdown(consumer);
        }
    }

    /** Copies of each key in the store's queues of {@code topic}, read back from offset 0. */
    private static Map<String, Integer> countKeys(Path root, String topic) throws Exception {
        Vertx v = Vertx.vertx();
        StoreConfig c = new StoreConfig(root.toString());
        c.commitLogSegmentBytes = SEGMENT_BYTES;
        c.warmMappedFile = false;
        MessageStore store = MessageStores.open(v, c);
        try {
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
        } finally {
            store.shutdown();
            v.close().await(60, TimeUnit.SECONDS);
        }
    }

    private static Message message(String topic, String key) {
        return new Message(topic, "TagA", key, ("failover " + key).getBytes(StandardCharsets.UTF_8));
    }
}

package io.tern.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

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
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;
import org.apache.rocketmq.client.consumer.DefaultMQPushConsumer;
import org.apache.rocketmq.client.producer.DefaultMQProducer;
import org.apache.rocketmq.client.producer.SendResult;
import org.apache.rocketmq.client.producer.SendStatus;
import org.apache.rocketmq.common.message.Message;
import org.apache.rocketmq.common.message.MessageDecoder;
import org.apache.rocketmq.common.message.MessageExt;

/**
 * Issue 12's test bed, real processes: nameservers with embedded controller peers and one broker group
 * ({@link #GROUP}) of replicas in controller mode (SYNC_MASTER, inSyncReplicas 2, SYNC_FLUSH), producers of the
 * official 4.9.8 client sending without pause (retries off: one SEND_OK is one stored copy), and the checks at the
 * end: every SEND_OK consumed, and stored exactly once in the last master's log.
 */
final class FailoverCluster implements AutoCloseable {
    static final String GROUP = "broker-ha";
    static final long SEGMENT_BYTES = 1 << 20;

    private final Path storeRoot;
    private final Path workDir;
    private final Vertx vertx = Vertx.vertx();
    private final RemotingClient client = new RemotingClient(vertx);
    private final List<TernProcess> processes = new ArrayList<>();
    final List<TernProcess> nameServers = new ArrayList<>();
    final Map<Long, TernProcess> replicas = new HashMap<>();
    private final Map<Long, Map<String, String>> brokerEnvs = new HashMap<>();
    final List<String> controllerAddrs = new ArrayList<>();
    String namesrvAddr;
    final String topic = Clients.unique("Failover");
    final Set<String> acknowledged = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean stop = new AtomicBoolean();
    private final List<Thread> senders = new ArrayList<>();
    final List<AtomicLong> lastOkNanos = new ArrayList<>();
    private final List<DefaultMQProducer> producers = new ArrayList<>();

    FailoverCluster(Path storeRoot, Path workDir) {
        this.storeRoot = storeRoot;
        this.workDir = workDir;
    }

    /** {@code peers} nameserver processes, each with a controller peer (one Raft group), all ready. */
    void startNameServers(int peers) throws Exception {
        List<Integer> nsPorts = new ArrayList<>();
        List<Integer> raftPorts = new ArrayList<>();
        for (int i = 0; i < peers; i++) {
            nsPorts.add(TernProcess.freePort());
            controllerAddrs.add("127.0.0.1:" + TernProcess.freePort());
            raftPorts.add(TernProcess.freePort());
        }
        StringBuilder peerList = new StringBuilder();
        for (int i = 0; i < peers; i++) {
            peerList.append(i == 0 ? "" : ";").append('n').append(i).append("-127.0.0.1:").append(raftPorts.get(i));
        }
        List<String> ns = new ArrayList<>();
        for (int i = 0; i < peers; i++) {
            String ctl = controllerAddrs.get(i);
            List<String> props = new ArrayList<>(List.of("-Dtern.nameserver.controllerEnabled=true",
                    "-Dtern.nameserver.controllerListenPort=" + ctl.substring(ctl.indexOf(':') + 1),
                    "-Dtern.nameserver.controllerSelfId=n" + i,
                    "-Dtern.nameserver.controllerStorePath=" + storeRoot.resolve("controller")));
            if (peers == 1) {
                props.add("-Dtern.nameserver.controllerRaftPort=" + raftPorts.get(0));
            } else {
                props.add("-Dtern.nameserver.controllerPeers=" + peerList);
            }
            nameServers.add(start("namesrv-" + i, props, "nameserver",
                    Map.of("TERN_NAMESERVER_PORT", Integer.toString(nsPorts.get(i)))));
            ns.add("127.0.0.1:" + nsPorts.get(i));
        }
        for (TernProcess p : nameServers) {
            p.awaitLine(TernProcess.readyMarker("nameserver"), 120_000);
        }
        namesrvAddr = String.join(";", ns);
    }

    /** Replicas 1..n of the group, all ready, and a master with all of them in its SyncStateSet. */
    GroupView startReplicas(int n) throws Exception {
        for (long id = 1; id <= n; id++) {
            Map<String, String> env = TernProcess.brokerEnv(namesrvAddr, TernProcess.freePort(),
                    storeRoot.resolve("r" + id), GROUP, "SYNC_MASTER", id);
            env.put("TERN_HA_PORT", Integer.toString(TernProcess.freePort()));
            env.put("TERN_FLUSH_MODE", "SYNC_FLUSH");
            brokerEnvs.put(id, env);
            startReplica(id, "r" + id);
        }
        return awaitGroup("a master with a full SyncStateSet", 120_000,
                v -> v.masterId() > 0 && v.syncStateSet().size() == n);
    }

    /** Starts (or restarts, on its store) replica {@code id}; waits until it is ready. */
    TernProcess startReplica(long id, String name) throws Exception {
        TernProcess p = start(name, List.of(
                "-Dtern.broker.store.commitLogSegmentBytes=" + SEGMENT_BYTES,
                "-Dtern.broker.registerNameServerPeriodMs=2000",
                "-Dtern.broker.metadataSyncIntervalMs=1000",
                "-Dtern.broker.inSyncReplicas=2",
                "-Dtern.broker.controllerMode=true",
                "-Dtern.broker.controllerAddr=" + String.join(";", controllerAddrs)), "broker", brokerEnvs.get(id));
        replicas.put(id, p);
        p.awaitLine(TernProcess.readyMarker("broker"), 120_000);
        return p;
    }

    private TernProcess start(String name, List<String> properties, String role, Map<String, String> env)
            throws Exception {
        TernProcess p = TernProcess.start(name, TernProcess.fatJarCommand(role, "256m", properties), workDir, env);
        processes.add(p);
        return p;
    }

    /** Two producers sending without pause, each after a first SEND_OK. */
    void startProducers() throws Exception {
        for (int p = 0; p < 2; p++) {
            DefaultMQProducer producer = producer();
            producers.add(producer);
            AtomicLong lastOk = new AtomicLong();
            lastOkNanos.add(lastOk);
            String prefix = "p" + p + "-";
            awaitSendOk(producer, prefix + "first", 60_000);
            Thread sender = new Thread(() -> {
                for (int seq = 0; !stop.get(); seq++) {
                    String key = prefix + seq;
                    try {
                        SendResult r = producer.send(message(key));
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
    }

    void stopProducers() throws InterruptedException {
        stop.set(true);
        for (Thread sender : senders) {
            sender.join(15_000);
        }
        producers.forEach(Clients::shutdown);
        producers.clear();
    }

    DefaultMQProducer producer() throws Exception {
        DefaultMQProducer producer = Clients.producer(namesrvAddr);
        producer.setRetryTimesWhenSendFailed(0);
        producer.setSendMsgTimeout(3_000);
        producer.start();
        return producer;
    }

    /** A fresh producer (fresh route) gets a SEND_OK; returns when it did. */
    void probe(String key, long timeoutMs) throws Exception {
        DefaultMQProducer probe = producer();
        try {
            awaitSendOk(probe, key, timeoutMs);
        } finally {
            Clients.shutdown(probe);
        }
    }

    /** Sends until one send is SEND_OK; each attempt has a key of its own (an attempt answered otherwise may be stored). */
    void awaitSendOk(DefaultMQProducer producer, String key, long timeoutMs) {
        int[] attempt = new int[1];
        Await.until("a SEND_OK for " + key, timeoutMs, () -> {
            String attemptKey = key + "#" + attempt[0]++;
            try {
                if (producer.send(message(attemptKey)).getSendStatus() == SendStatus.SEND_OK) {
                    acknowledged.add(attemptKey);
                    return true;
                }
            } catch (Exception notYet) {
                // no route or no master yet
            }
            Await.sleep(200);
            return false;
        });
    }

    private Message message(String key) {
        return new Message(topic, "TagA", key, ("failover " + key).getBytes(StandardCharsets.UTF_8));
    }

    /** GET_CONTROLLER_STATE of one controller; null when it does not answer. */
    JsonObject controllerState(String addr) {
        try {
            RemotingCommand r = client.invoke(addr, RemotingCommand.request(ControllerWire.GET_CONTROLLER_STATE),
                    3_000).await(10, TimeUnit.SECONDS);
            return new JsonObject(new String(r.bodyBytes(), StandardCharsets.UTF_8));
        } catch (Exception e) {
            return null;
        }
    }

    /** The index of the controller that leads now, or -1. */
    int controllerLeader() {
        for (int i = 0; i < controllerAddrs.size(); i++) {
            JsonObject s = controllerState(controllerAddrs.get(i));
            if (s != null && s.getBoolean("leader", false)) {
                return i;
            }
        }
        return -1;
    }

    /** The group as the leading controller (else any answering one) sees it; null while none has it. */
    GroupView group() {
        GroupView any = null;
        for (String addr : controllerAddrs) {
            JsonObject s = controllerState(addr);
            if (s == null) {
                continue;
            }
            JsonArray groups = s.getJsonArray("groups");
            for (int i = 0; i < groups.size(); i++) {
                if (GROUP.equals(groups.getJsonObject(i).getString("group"))) {
                    GroupView v = GroupView.fromJson(groups.getJsonObject(i));
                    if (s.getBoolean("leader", false)) {
                        return v;
                    }
                    any = any == null ? v : any;
                }
            }
        }
        return any;
    }

    GroupView awaitGroup(String what, long timeoutMs, Predicate<GroupView> check) {
        GroupView[] seen = new GroupView[1];
        Await.until(what, timeoutMs, () -> {
            seen[0] = group();
            if (seen[0] != null && check.test(seen[0])) {
                return true;
            }
            Await.sleep(200);
            return false;
        }, () -> "controller says " + seen[0]);
        return seen[0];
    }

    /** What a new consumer group reads of the topic, once it has every acknowledged key or after 120 s. */
    Set<String> consumeAll() throws Exception {
        DefaultMQPushConsumer consumer = Clients.pushConsumer(namesrvAddr, Clients.unique("FailoverReader"));
        Received received = new Received();
        try {
            consumer.subscribe(topic, "*");
            consumer.registerMessageListener(received);
            consumer.start();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            while (!GracefulRestartTest.keys(received).containsAll(acknowledged) && System.nanoTime() < deadline) {
                Await.sleep(200);
            }
            return GracefulRestartTest.keys(received);
        } finally {
            Clients.shutdown(consumer);
        }
    }

    /**
     * Stops every replica gracefully, then reads each one's store: for every acknowledged key its copies on
     * every replica. Problems found (missing or doubled on the last master, not consumed) are returned as text.
     */
    List<String> checkStores(long lastMaster, Set<String> consumed) throws Exception {
        for (TernProcess p : replicas.values()) {
            assertEquals(143, p.terminate(60_000), "a replica stops gracefully on SIGTERM");
        }
        Map<Long, Map<String, Integer>> copies = new HashMap<>();
        for (long id : replicas.keySet()) {
            copies.put(id, countKeys(storeRoot.resolve("r" + id)));
        }
        List<String> problems = new ArrayList<>();
        for (String key : acknowledged) {
            int n = copies.get(lastMaster).getOrDefault(key, 0);
            StringBuilder where = new StringBuilder();
            copies.forEach((id, c) -> where.append(' ').append(id).append(':').append(c.getOrDefault(key, 0)));
            if (n != 1) {
                problems.add(key + " x" + n + " on the last master (copies per replica" + where + ")");
            }
            if (!consumed.contains(key)) {
                problems.add(key + " not consumed (copies per replica" + where + ")");
            }
        }
        problems.sort(null);
        return problems;
    }

    /** Copies of each key in the store's queues of the topic, read back from each queue's first offset. */
    private Map<String, Integer> countKeys(Path root) throws Exception {
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

    /** Sends SIGSTOP or SIGCONT to a process. */
    static void signal(TernProcess p, String sig) throws Exception {
        Process kill = new ProcessBuilder("kill", "-" + sig, Long.toString(p.pid())).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        assertEquals(0, kill.waitFor(), "kill -" + sig);
    }

    @Override
    public void close() throws Exception {
        stop.set(true);
        for (TernProcess p : processes) {
            try {
                signal(p, "CONT");
            } catch (Throwable ignored) {
                // already gone
            }
            p.close();
        }
        client.close().await(30, TimeUnit.SECONDS);
        vertx.close().await(30, TimeUnit.SECONDS);
    }
}

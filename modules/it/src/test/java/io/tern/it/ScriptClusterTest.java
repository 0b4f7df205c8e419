package io.tern.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
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
import org.apache.rocketmq.common.protocol.route.BrokerData;
import org.apache.rocketmq.common.protocol.route.TopicRouteData;
import org.apache.rocketmq.tools.admin.DefaultMQAdminExt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code scripts/tern cluster} as a user runs it: two nameservers and two master–slave groups in separate JVMs,
 * usable with the official client through both nameservers (routes list each master and its slave), every slave
 * catching up with its master, and SIGTERM stopping every role.
 */
class ScriptClusterTest {
    @TempDir
    Path storeRoot;

    @Test
    void aLocalClusterOfTwoGroupsServesAndStopsAsOne() throws Exception {
        Path repoRoot = Path.of(System.getProperty("tern.repoRoot", "../..")).toAbsolutePath().normalize();
        Path script = repoRoot.resolve("scripts/tern");
        assertTrue(Files.isExecutable(repoRoot.resolve("scripts/tern-cluster")));
        TernProcess.serverJar();
        // scripts/tern-cluster: nameservers on the port and the next; masters on +0 and +20 with replication on +1,
        // slaves on +10 and +30, every broker with its VIP port 2 below its own
        int[] bases = TernProcess.freePortBases(new int[] {0, 1},
                new int[] {-2, 0, 1, 8, 10, 18, 20, 21, 28, 30});
        int nameServerPort = bases[0];
        int brokerPort = bases[1];
        Map<String, String> env = Map.of(
                "TERN_NAMESERVER_PORT", Integer.toString(nameServerPort),
                "TERN_BROKER_PORT", Integer.toString(brokerPort),
                "TERN_HTTP_PORT", "-1",
                "TERN_STORE_ROOT", storeRoot.toString(),
                "TERN_JAVA_OPTS", "-Xmx256m -Dtern.broker.store.commitLogSegmentBytes=67108864"
                        + " -Dtern.broker.metadataSyncIntervalMs=1000");
        String namesrvAddr = "127.0.0.1:" + nameServerPort + ";127.0.0.1:" + (nameServerPort + 1);
        String topic = Clients.unique("Cluster");
        try (TernProcess cluster = TernProcess.start("cluster", List.of(script.toString(), "cluster"), repoRoot,
                env)) {
            cluster.awaitLine("Tern cluster ready", 240_000);
            List<ProcessHandle> roles = ProcessHandle.of(cluster.pid()).orElseThrow().descendants()
                    .filter(p -> p.info().command().orElse("").endsWith("java")).toList();
            assertEquals(6, roles.size(), "two nameservers and four brokers: " + roles);

            DefaultMQAdminExt admin = Clients.admin(namesrvAddr);
            DefaultMQProducer producer = Clients.producer(namesrvAddr);
            DefaultMQPushConsumer consumer = Clients.pushConsumer(namesrvAddr, Clients.unique("CG"));
            Received received = new Received();
            try {
                admin.start();
                Await.until("both groups with master and slave in the cluster", 60_000,
                        () -> groups(admin).equals(Set.of("broker-a:[0, 1]", "broker-b:[0, 1]")),
                        () -> groups(admin).toString());
                for (String master : List.of("127.0.0.1:" + brokerPort, "127.0.0.1:" + (brokerPort + 20))) {
                    admin.createAndUpdateTopicConfig(master, new org.apache.rocketmq.common.TopicConfig(topic, 4, 4, 6));
                }
                Await.until("a route over both groups", 30_000, () -> routeGroups(admin, topic) == 2);
                producer.start();
                Set<String> sent = new HashSet<>();
                Set<String> brokersUsed = new HashSet<>();
                for (int i = 0; i < 100; i++) {
                    String key = "c" + i;
                    SendResult r = producer.send(new Message(topic, "TagA", key, key.getBytes(StandardCharsets.UTF_8)));
                    assertEquals(SendStatus.SEND_OK, r.getSendStatus());
                    sent.add(key);
                    brokersUsed.add(r.getMessageQueue().getBrokerName());
                }
                assertEquals(Set.of("broker-a", "broker-b"), brokersUsed);
                consumer.subscribe(topic, "*");
                consumer.registerMessageListener(received);
                consumer.start();
                Await.until("the 100 messages", 60_000, () -> GracefulRestartTest.keys(received).containsAll(sent),
                        () -> "received " + received.count());
            } finally {
                Clients.shutdown(consumer, producer, admin);
            }
            assertEquals(143, cluster.terminate(120_000), "SIGTERM stops the cluster");
            for (ProcessHandle role : roles) {
                assertTrue(role.onExit().toCompletableFuture().isDone() || !role.isAlive(), "stopped: " + role);
            }
            assertTrue(cluster.printed("tern cluster: stopped"), cluster.output());
        }
    }

    /** "brokerName:[ids]" of every group the cluster lists. */
    private static Set<String> groups(DefaultMQAdminExt admin) {
        try {
            Set<String> out = new HashSet<>();
            admin.examineBrokerClusterInfo().getBrokerAddrTable().forEach((name, bd) ->
                    out.add(name + ":" + new java.util.TreeSet<>(bd.getBrokerAddrs().keySet())));
            return out;
        } catch (Exception notYet) {
            return Set.of();
        }
    }

    private static int routeGroups(DefaultMQAdminExt admin, String topic) {
        try {
            TopicRouteData route = admin.examineTopicRouteInfo(topic);
            int complete = 0;
            for (BrokerData bd : route.getBrokerDatas()) {
                if (bd.getBrokerAddrs().size() == 2) {
                    complete++;
                }
            }
            return Math.min(complete, route.getQueueDatas().size());
        } catch (Exception notYet) {
            return 0;
        }
    }
}

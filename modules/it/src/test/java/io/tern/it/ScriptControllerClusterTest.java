package io.tern.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.apache.rocketmq.client.producer.DefaultMQProducer;
import org.apache.rocketmq.client.producer.SendStatus;
import org.apache.rocketmq.common.message.Message;
import org.apache.rocketmq.tools.admin.DefaultMQAdminExt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code scripts/tern cluster --controller} as a user runs it: three nameservers with controller peers and a group of
 * three replicas in separate JVMs; the controller elects a master (registered as brokerId 0, the two others as
 * slaves), the official client sends to it, and SIGTERM stops every role.
 */
class ScriptControllerClusterTest {
    @TempDir
    Path storeRoot;

    @Test
    void aLocalControllerClusterElectsAMasterServesAndStops() throws Exception {
        Path repoRoot = Path.of(System.getProperty("tern.repoRoot", "../..")).toAbsolutePath().normalize();
        Path script = repoRoot.resolve("scripts/tern");
        assertTrue(Files.isExecutable(repoRoot.resolve("scripts/tern-cluster-controller")));
        TernProcess.serverJar();
        // scripts/tern-cluster-controller: nameservers on the port and the next two; controllers on +0..+2, their
        // Raft on +10..+12; replicas on +0, +10, +20, each with replication on +1 and its VIP port 2 below
        int[] bases = TernProcess.freePortBases(new int[] {0, 1, 2}, new int[] {0, 1, 2, 10, 11, 12},
                new int[] {-2, 0, 1, 8, 10, 11, 18, 20, 21});
        int nameServerPort = bases[0];
        Map<String, String> env = Map.of(
                "TERN_NAMESERVER_PORT", Integer.toString(nameServerPort),
                "TERN_CONTROLLER_PORT", Integer.toString(bases[1]),
                "TERN_BROKER_PORT", Integer.toString(bases[2]),
                "TERN_HTTP_PORT", "-1",
                "TERN_STORE_ROOT", storeRoot.toString(),
                "TERN_JAVA_OPTS", "-Xmx256m -Dtern.broker.store.commitLogSegmentBytes=67108864");
        String namesrvAddr = "127.0.0.1:" + nameServerPort + ";127.0.0.1:" + (nameServerPort + 1);
        try (TernProcess cluster = TernProcess.start("cluster", List.of(script.toString(), "cluster", "--controller"),
                repoRoot, env)) {
            cluster.awaitLine("Tern cluster ready", 240_000);
            List<ProcessHandle> roles = ProcessHandle.of(cluster.pid()).orElseThrow().descendants()
                    .filter(p -> p.info().command().orElse("").endsWith("java")).toList();
            assertEquals(6, roles.size(), "three nameservers and three replicas: " + roles);

            DefaultMQAdminExt admin = Clients.admin(namesrvAddr);
            DefaultMQProducer producer = Clients.producer(namesrvAddr);
            try {
                admin.start();
                Await.until("broker-a with a master (id 0) and two slaves", 60_000, () -> ids(admin).size() == 3
                        && ids(admin).first() == 0, () -> ids(admin).toString());
                producer.start();
                String topic = Clients.unique("CtlCluster");
                int[] attempt = new int[1];
                Await.until("a SEND_OK from the elected master", 60_000, () -> {
                    try {
                        String key = "k" + attempt[0]++;
                        return producer.send(new Message(topic, "TagA", key, key.getBytes(StandardCharsets.UTF_8)))
                                .getSendStatus() == SendStatus.SEND_OK;
                    } catch (Exception notYet) {
                        Await.sleep(200);
                        return false;
                    }
                });
            } finally {
                Clients.shutdown(producer, admin);
            }
            assertEquals(143, cluster.terminate(120_000), "SIGTERM stops the cluster");
            for (ProcessHandle role : roles) {
                assertTrue(role.onExit().toCompletableFuture().isDone() || !role.isAlive(), "stopped: " + role);
            }
            assertTrue(cluster.printed("tern cluster: stopped"), cluster.output());
        }
    }

    /** The broker ids broker-a is registered under. */
    private static TreeSet<Long> ids(DefaultMQAdminExt admin) {
        try {
            var bd = admin.examineBrokerClusterInfo().getBrokerAddrTable().get("broker-a");
            return bd == null ? new TreeSet<>() : new TreeSet<>(bd.getBrokerAddrs().keySet());
        } catch (Exception notYet) {
            return new TreeSet<>();
        }
    }
}

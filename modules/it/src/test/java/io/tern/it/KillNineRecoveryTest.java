package io.tern.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.rocketmq.client.consumer.DefaultMQPushConsumer;
import org.apache.rocketmq.client.producer.DefaultMQProducer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * kill -9 of a separate standalone process running SYNC_FLUSH loses nothing that was acknowledged: every message
 * answered SEND_OK is there after the restart, and the group's committed offsets are kept (the broker persists
 * offsets every persistConsumerOffsetIntervalMs, set to 500 ms here; the test waits past that before the kill).
 */
class KillNineRecoveryTest {
    @TempDir
    Path storeRoot;
    @TempDir
    Path workDir;

    @Test
    void killNineKeepsAcknowledgedMessagesAndCommittedOffsets() throws Exception {
        int nameServerPort = TernProcess.freePort();
        int brokerPort = TernProcess.freePort();
        Map<String, String> env = TernProcess.standaloneEnv(nameServerPort, brokerPort, storeRoot,
                "TERN_FLUSH_MODE", "SYNC_FLUSH");
        List<String> command = TernProcess.fatJarCommand("standalone", "512m", List.of(
                "-Dtern.broker.persistConsumerOffsetIntervalMs=500",
                "-Dtern.broker.store.commitLogSegmentBytes=67108864"));
        String namesrvAddr = "127.0.0.1:" + nameServerPort;
        String topic = Clients.unique("KillNine");
        String group = Clients.unique("CG");

        Set<String> acknowledged;
        try (TernProcess tern = TernProcess.start("tern-1", command, workDir, env)) {
            tern.awaitLine(TernProcess.READY_MARKER, 120_000);
            DefaultMQProducer producer = Clients.producer(namesrvAddr);
            DefaultMQPushConsumer consumer = Clients.pushConsumer(namesrvAddr, group);
            Received received = new Received();
            try {
                producer.start();
                acknowledged = GracefulRestartTest.send(producer, topic, "acked", 200);
                consumer.subscribe(topic, "*");
                consumer.registerMessageListener(received);
                consumer.start();
                Await.until("200 messages before the kill", 60_000, () -> received.count() >= 200,
                        () -> "received " + received.count());
                Await.sleep(500);
            } finally {
                Clients.shutdown(consumer, producer);
            }
            // the consumer's final offsets went out on shutdown; give the broker's 500 ms persist timer two rounds
            Await.sleep(1_500);
            tern.kill();
        }

        try (TernProcess tern = TernProcess.start("tern-2", command, workDir, env)) {
            tern.awaitLine(TernProcess.READY_MARKER, 120_000);
            DefaultMQProducer producer = Clients.producer(namesrvAddr);
            DefaultMQPushConsumer sameGroup = Clients.pushConsumer(namesrvAddr, group);
            DefaultMQPushConsumer newGroup = Clients.pushConsumer(namesrvAddr, Clients.unique("CG"));
            Received sameGroupReceived = new Received();
            Received newGroupReceived = new Received();
            try {
                producer.start();
                Set<String> after = GracefulRestartTest.send(producer, topic, "after", 10);
                newGroup.subscribe(topic, "*");
                newGroup.registerMessageListener(newGroupReceived);
                newGroup.start();
                sameGroup.subscribe(topic, "*");
                sameGroup.registerMessageListener(sameGroupReceived);
                sameGroup.start();

                Set<String> all = new HashSet<>(acknowledged);
                all.addAll(after);
                Await.until("all 210 messages for a new group", 60_000,
                        () -> GracefulRestartTest.keys(newGroupReceived).containsAll(all),
                        () -> "received " + newGroupReceived.count());
                assertEquals(all, GracefulRestartTest.keys(newGroupReceived));
                Await.until("the 10 new messages for the old group", 60_000,
                        () -> GracefulRestartTest.keys(sameGroupReceived).containsAll(after));
                Await.sleep(1_000);
                Set<String> redelivered = GracefulRestartTest.keys(sameGroupReceived);
                redelivered.removeAll(after);
                assertTrue(redelivered.isEmpty(), "committed offsets survived kill -9: redelivered " + redelivered);
            } finally {
                Clients.shutdown(sameGroup, newGroup, producer);
            }
            assertEquals(143, tern.terminate(60_000), "SIGTERM exit code");
        }
    }
}

package io.tern.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
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
 * {@code scripts/tern standalone}, as a user runs it: ports and store root from TERN_* variables, the ready line,
 * a send and receive with the official client, then SIGTERM and a graceful stop (exit code 143). The periodic
 * offset persist is pushed out to 10 minutes, so the consumer offsets found after the restart were written by the
 * SIGTERM shutdown.
 */
class ScriptStandaloneTest {
    @TempDir
    Path storeRoot;

    @Test
    void scriptStartsAUsableStandaloneAndStopsGracefullyOnSigterm() throws Exception {
        Path repoRoot = Path.of(System.getProperty("tern.repoRoot", "../..")).toAbsolutePath().normalize();
        Path script = repoRoot.resolve("scripts/tern");
        assertTrue(Files.isExecutable(script), script + " is executable");
        TernProcess.serverJar(); // the script would build it when missing; the test relies on the build having done so
        int nameServerPort = TernProcess.freePort();
        Map<String, String> env = Map.of(
                "TERN_NAMESERVER_PORT", Integer.toString(nameServerPort),
                "TERN_BROKER_PORT", Integer.toString(TernProcess.freePort()),
                "TERN_HTTP_PORT", Integer.toString(TernProcess.freePort()),
                "TERN_STORE_ROOT", storeRoot.toString(),
                "TERN_JAVA_OPTS", "-Xmx512m -Dtern.broker.store.commitLogSegmentBytes=67108864"
                        + " -Dtern.broker.persistConsumerOffsetIntervalMs=600000");
        String namesrvAddr = "127.0.0.1:" + nameServerPort;
        String topic = Clients.unique("Script");
        String group = Clients.unique("CG");
        List<String> command = List.of(script.toString(), "standalone");

        Set<String> before;
        try (TernProcess tern = TernProcess.start("scripts/tern", command, repoRoot, env)) {
            tern.awaitLine(TernProcess.READY_MARKER, 180_000);
            assertTrue(tern.printed("nameserver 127.0.0.1:" + nameServerPort), tern.output());
            assertClassArchiveMapped(tern.pid());
            DefaultMQProducer producer = Clients.producer(namesrvAddr);
            DefaultMQPushConsumer consumer = Clients.pushConsumer(namesrvAddr, group);
            Received received = new Received();
            try {
                producer.start();
                before = GracefulRestartTest.send(producer, topic, "before", 20);
                consumer.subscribe(topic, "*");
                consumer.registerMessageListener(received);
                consumer.start();
                Await.until("20 messages", 60_000, () -> received.count() >= 20, () -> "received " + received.count());
                Await.sleep(500);
            } finally {
                Clients.shutdown(consumer, producer);
            }
            assertEquals(143, tern.terminate(60_000), "exit code after SIGTERM");
            assertTrue(tern.printed("Tern standalone stopped"), "graceful stop logged:\n" + tern.output());
        }

        try (TernProcess tern = TernProcess.start("scripts/tern again", command, repoRoot, env)) {
            tern.awaitLine(TernProcess.READY_MARKER, 180_000);
            DefaultMQProducer producer = Clients.producer(namesrvAddr);
            DefaultMQPushConsumer consumer = Clients.pushConsumer(namesrvAddr, group);
            Received received = new Received();
            try {
                producer.start();
                Set<String> after = GracefulRestartTest.send(producer, topic, "after", 5);
                consumer.subscribe(topic, "*");
                consumer.registerMessageListener(received);
                consumer.start();
                Await.until("the 5 new messages", 60_000,
                        () -> GracefulRestartTest.keys(received).containsAll(after));
                Await.sleep(1_000);
                Set<String> redelivered = new HashSet<>(GracefulRestartTest.keys(received));
                redelivered.removeAll(after);
                assertTrue(redelivered.isEmpty(), "offsets persisted at SIGTERM: no redelivery of " + redelivered
                        + " (of " + before.size() + " consumed before)");
            } finally {
                Clients.shutdown(consumer, producer);
            }
            assertEquals(143, tern.terminate(60_000));
        }
    }

    /**
     * The build writes a class-data-sharing archive beside the fat jar (io.tern.server.CdsTraining) and the script
     * passes it to the JVM; a JVM that accepted it has the file mapped. One the JVM refused (stale, other JDK) would
     * start silently without it, twice as slowly.
     */
    private static void assertClassArchiveMapped(long pid) throws IOException {
        if (Boolean.getBoolean("tern.cds.skip")) {
            return; // built with -Dtern.cds.skip=true: no archive to map
        }
        Path jar = TernProcess.serverJar();
        String jarName = jar.getFileName().toString();
        Path archive = jar.resolveSibling(jarName.substring(0, jarName.length() - ".jar".length()) + ".jsa");
        assertTrue(Files.isRegularFile(archive), "the build wrote " + archive);
        String maps = Files.readString(Path.of("/proc/" + pid + "/maps"));
        assertTrue(maps.contains(archive.toRealPath().toString()), "the JVM mapped " + archive);
    }
}

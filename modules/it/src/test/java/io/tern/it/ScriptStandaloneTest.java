package io.tern.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.rocketmq.client.consumer.DefaultMQPushConsumer;
import org.apache.rocketmq.client.producer.DefaultMQProducer;
import org.apache.rocketmq.client.producer.SendStatus;
import org.apache.rocketmq.common.message.Message;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code scripts/tern standalone}, as a user runs it: ports and store root from TERN_* variables, the ready line,
 * a send and receive with the official client, then SIGTERM and a graceful stop (exit code 143).
 */
class ScriptStandaloneTest {
    @TempDir
    Path storeRoot;

    @Test
    void scriptStartsAUsableStandaloneAndStopsOnSigterm() throws Exception {
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
                "TERN_JAVA_OPTS", "-Xmx512m -Dtern.broker.store.commitLogSegmentBytes=67108864");
        try (TernProcess tern = TernProcess.start("scripts/tern", List.of(script.toString(), "standalone"),
                repoRoot, env)) {
            tern.awaitLine(TernProcess.READY_MARKER, 180_000);
            assertTrue(tern.printed("nameserver 127.0.0.1:" + nameServerPort), tern.output());

            String namesrvAddr = "127.0.0.1:" + nameServerPort;
            String topic = Clients.unique("Script");
            DefaultMQProducer producer = Clients.producer(namesrvAddr);
            DefaultMQPushConsumer consumer = Clients.pushConsumer(namesrvAddr, Clients.unique("CG"));
            Received received = new Received();
            try {
                producer.start();
                for (int i = 0; i < 10; i++) {
                    assertEquals(SendStatus.SEND_OK, producer.send(new Message(topic, "TagA", "s" + i,
                            ("from the script test " + i).getBytes(StandardCharsets.UTF_8))).getSendStatus());
                }
                consumer.subscribe(topic, "*");
                consumer.registerMessageListener(received);
                consumer.start();
                Await.until("10 messages", 60_000, () -> received.count() >= 10, () -> "received " + received.count());
            } finally {
                Clients.shutdown(consumer, producer);
            }
            assertEquals(143, tern.terminate(60_000), "exit code after SIGTERM");
            assertTrue(tern.printed("Tern standalone stopped"), "graceful stop logged:\n" + tern.output());
        }
    }
}

package io.tern.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.rocketmq.client.consumer.DefaultMQPushConsumer;
import org.apache.rocketmq.client.producer.DefaultMQProducer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fat jar's other two roles as separate processes: {@code nameserver}, and a {@code broker} that registers with
 * it through TERN_NAMESERVER_ADDR; the official client produces and consumes through them.
 */
class SeparateRolesTest {
    @TempDir
    Path storeRoot;
    @TempDir
    Path workDir;

    @Test
    void nameserverAndBrokerProcessesServeTheClient() throws Exception {
        int nameServerPort = TernProcess.freePort();
        int brokerPort = TernProcess.freePort();
        String namesrvAddr = "127.0.0.1:" + nameServerPort;
        String java = TernProcess.javaBinary().toString();
        String jar = TernProcess.serverJar().toString();
        List<String> nameServerCommand = List.of(java, "-Xmx256m",
                "-Dtern.nameserver.kvConfigPath=" + storeRoot.resolve("kvConfig.json"), "-jar", jar, "nameserver");
        List<String> brokerCommand = List.of(java, "-Xmx512m",
                "-Dtern.broker.store.commitLogSegmentBytes=67108864", "-jar", jar, "broker");

        try (TernProcess nameServer = TernProcess.start("nameserver", nameServerCommand, workDir,
                Map.of("TERN_NAMESERVER_PORT", Integer.toString(nameServerPort)))) {
            nameServer.awaitLine(TernProcess.readyMarker("nameserver"), 120_000);
            try (TernProcess broker = TernProcess.start("broker", brokerCommand, workDir, Map.of(
                    "TERN_BROKER_PORT", Integer.toString(brokerPort),
                    "TERN_HTTP_PORT", "-1",
                    "TERN_STORE_ROOT", storeRoot.resolve("broker").toString(),
                    "TERN_NAMESERVER_ADDR", namesrvAddr))) {
                broker.awaitLine(TernProcess.readyMarker("broker"), 120_000);
                assertTrue(broker.printed("broker 127.0.0.1:" + brokerPort), broker.output());

                String topic = Clients.unique("Roles");
                DefaultMQProducer producer = Clients.producer(namesrvAddr);
                DefaultMQPushConsumer consumer = Clients.pushConsumer(namesrvAddr, Clients.unique("CG"));
                Received received = new Received();
                try {
                    producer.start();
                    Set<String> sent = GracefulRestartTest.send(producer, topic, "roles", 20);
                    consumer.subscribe(topic, "*");
                    consumer.registerMessageListener(received);
                    consumer.start();
                    Await.until("20 messages", 60_000, () -> GracefulRestartTest.keys(received).containsAll(sent),
                            () -> "received " + received.count());
                } finally {
                    Clients.shutdown(consumer, producer);
                }
                assertEquals(143, broker.terminate(60_000));
                assertTrue(broker.printed("Tern broker stopped"), broker.output());
            }
            assertEquals(143, nameServer.terminate(60_000));
            assertTrue(nameServer.printed("Tern nameserver stopped"), nameServer.output());
        }
    }
}

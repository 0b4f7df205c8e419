package io.tern.client;

import static io.tern.client.TernTestSupport.await;
import static io.tern.client.TernTestSupport.createTopic;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tern.server.EmbeddedTern;
import io.tern.server.EmbeddedTernOptions;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Two brokers: sends retry on the other broker when one is gone but still in the cached route. */
class ProducerFailoverTest {
    @TempDir
    Path store;

    @Test
    void sendsGoToTheOtherBrokerWhenOneStops() {
        try (EmbeddedTern tern = EmbeddedTern.start(new EmbeddedTernOptions(store).brokers(2))) {
            Vertx vertx = Vertx.vertx();
            TernClient client = TernTestSupport.client(vertx, tern);
            try {
                createTopic(tern.vertx(), tern, 0, "Failover", 2);
                createTopic(tern.vertx(), tern, 1, "Failover", 2);
                TernProducer producer = client.createProducer("PG");
                Set<String> brokers = new HashSet<>();
                for (int i = 0; i < 8; i++) {
                    brokers.add(await(producer.send(TernMessage.of("Failover", "before-" + i))).queue().brokerName);
                }
                assertEquals(Set.of(tern.brokerName(0), tern.brokerName(1)), brokers, "round-robin over both");

                tern.stopBroker(0);
                for (int i = 0; i < 8; i++) {
                    SendResult r = await(producer.send(TernMessage.of("Failover", "after-" + i)));
                    assertEquals(SendStatus.SEND_OK, r.status());
                    assertEquals(tern.brokerName(1), r.queue().brokerName);
                }
            } finally {
                await(client.close());
                await(vertx.close());
            }
        }
    }
}

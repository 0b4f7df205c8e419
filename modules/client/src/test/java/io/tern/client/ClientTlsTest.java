package io.tern.client;

import static io.tern.client.TernTestSupport.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.tern.client.TernConsumerOptions.ConsumeFromWhere;
import io.tern.remoting.security.SelfSignedPem;
import io.tern.server.EmbeddedTern;
import io.tern.server.EmbeddedTernOptions;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Vert.x client with {@code setTls(true)} against a nameserver and broker that enforce TLS. */
class ClientTlsTest {
    @TempDir
    Path dir;

    @Test
    void producesAndConsumesOverTlsAndPlaintextIsRefused() throws Exception {
        SelfSignedPem pem = SelfSignedPem.create(dir.resolve("tls"), "tern");
        EmbeddedTernOptions options = new EmbeddedTernOptions(dir.resolve("store"));
        for (String[] kv : new String[][] {{"tlsMode", "enforcing"}, {"tlsCertFile", pem.certFile().toString()},
                {"tlsKeyFile", pem.keyFile().toString()}}) {
            options.nameServer(kv[0], kv[1]).broker(kv[0], kv[1]);
        }
        Vertx vertx = Vertx.vertx();
        try (EmbeddedTern tern = EmbeddedTern.start(options)) {
            TernClient tls = TernClient.create(vertx, new TernClientOptions().setNamesrvAddr(tern.namesrvAddr())
                    .setTls(true).setTlsTrustCertFile(pem.certFile().toString()));
            TernClient plaintext = TernClient.create(vertx, new TernClientOptions().setNamesrvAddr(tern.namesrvAddr())
                    .setRequestTimeoutMs(2_000));
            try {
                TernProducer producer = tls.createProducer("PG_TLS");
                for (int i = 0; i < 5; i++) {
                    assertEquals(SendStatus.SEND_OK,
                            await(producer.send(TernMessage.of("T_TLS", Buffer.buffer("m" + i)))).status());
                }
                Received received = new Received();
                TernConsumer consumer = tls.createConsumer("CG_TLS", new TernConsumerOptions()
                        .setConsumeFromWhere(ConsumeFromWhere.CONSUME_FROM_FIRST_OFFSET))
                        .subscribe("T_TLS", "*").handler(received);
                await(consumer.start());
                assertEquals(5, received.awaitAtLeast(5).size());

                TernProducer refused = plaintext.createProducer("PG_PLAIN");
                assertThrows(AssertionError.class,
                        () -> await(refused.send(TernMessage.of("T_TLS", Buffer.buffer("plain")))));
            } finally {
                await(plaintext.close());
                await(tls.close());
            }
        } finally {
            await(vertx.close());
        }
    }
}

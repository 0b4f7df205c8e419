package io.tern.client;

import static io.tern.client.TernTestSupport.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tern.client.TernConsumerOptions.ConsumeFromWhere;
import io.tern.server.EmbeddedTern;
import io.tern.server.EmbeddedTernOptions;
import io.vertx.core.Vertx;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Tern client signs its requests when given credentials, for a nameserver and broker with the ACL on. */
class ClientAclTest {
    static final String RULES = """
            accounts:
              - accessKey: client-user
                secretKey: client-secret
                defaultTopicPerm: DENY
                defaultGroupPerm: DENY
                topicPerms: [ClientAcl=PUB|SUB]
                groupPerms: [ClientAclGroup=SUB]
            """;

    @TempDir
    static Path dir;
    static EmbeddedTern tern;
    static Vertx vertx;

    @BeforeAll
    static void startTern() throws Exception {
        Path aclFile = Files.writeString(dir.resolve("acl.yaml"), RULES);
        tern = EmbeddedTern.start(new EmbeddedTernOptions(dir.resolve("store"))
                .nameServer("aclEnable", true).nameServer("aclFile", aclFile.toString())
                .broker("aclEnable", true).broker("aclFile", aclFile.toString()));
        vertx = Vertx.vertx();
    }

    @AfterAll
    static void stopTern() {
        TernTestSupport.stop(vertx, tern);
    }

    static TernClient client(String accessKey, String secretKey) {
        return TernClient.create(vertx, new TernClientOptions().setNamesrvAddr(tern.namesrvAddr())
                .setCredentials(accessKey, secretKey).setRequestTimeoutMs(10_000));
    }

    @Test
    void aClientWithCredentialsProducesAndConsumes() {
        TernClient producing = client("client-user", "client-secret");
        TernClient consuming = client("client-user", "client-secret");
        try {
            // the send creates the topic (PUB is enough for auto-creation), so the consumer finds its route at once
            SendResult sent = await(producing.createProducer("PG").send(TernMessage.of("ClientAcl", "signed")));
            assertEquals(SendStatus.SEND_OK, sent.status());
            Received received = new Received();
            await(consuming.createConsumer("ClientAclGroup", new TernConsumerOptions()
                            .setConsumeFromWhere(ConsumeFromWhere.CONSUME_FROM_FIRST_OFFSET))
                    .subscribe("ClientAcl", "*").handler(received).start());
            assertEquals(sent.msgId(), received.awaitAtLeast(1).get(0).msgId());
        } finally {
            await(producing.close());
            await(consuming.close());
        }
    }

    @Test
    void withoutOrWithWrongCredentialsTheSendIsRefused() {
        for (TernClient client : new TernClient[] {client(null, null), client("client-user", "wrong-secret")}) {
            try {
                AssertionError failed = assertThrows(AssertionError.class,
                        () -> await(client.createProducer("PG").send(TernMessage.of("ClientAcl", "x"))));
                assertTrue(String.valueOf(failed.getCause()).contains("ACL:"), String.valueOf(failed.getCause()));
            } finally {
                await(client.close());
            }
        }
    }
}

package io.tern.client;

import static io.tern.client.TernTestSupport.await;

import io.tern.server.EmbeddedTern;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.io.TempDir;

/**
 * The set-up of the client's tests against a real broker: one embedded nameserver + broker and one Vert.x per test
 * class, a topic and a consumer group named after each test, and every client a test made closed after it.
 */
abstract class EmbeddedTernTest {
    @TempDir
    static Path store;
    static EmbeddedTern tern;
    static Vertx vertx;
    final List<TernClient> clients = new ArrayList<>();
    String topic;
    String group;

    @BeforeAll
    static void startTern() {
        tern = EmbeddedTern.start(store);
        vertx = Vertx.vertx();
    }

    @AfterAll
    static void stopTern() {
        TernTestSupport.stop(vertx, tern);
    }

    @BeforeEach
    void names(TestInfo info) {
        String name = info.getTestMethod().orElseThrow().getName();
        topic = "T_" + name;
        group = "CG_" + name;
    }

    @AfterEach
    void closeClients() {
        for (TernClient c : clients) {
            await(c.close());
        }
    }

    /** A client of the embedded nameserver, closed after the test. */
    TernClient client() {
        TernClient c = TernTestSupport.client(vertx, tern);
        clients.add(c);
        return c;
    }
}

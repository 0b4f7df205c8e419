package io.tern.nameserver.kv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Stores of one Vertx share the file pool by name; closing one must leave the others writing. */
class KvConfigStorePoolTest {
    private final Vertx vertx = Vertx.vertx();

    @AfterEach
    void closeVertx() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @Test
    void aStoreKeepsWritingAfterAnotherStoreOfItsVertxClosed(@TempDir Path dir) throws Exception {
        KvConfigStore first = new KvConfigStore(vertx, dir.resolve("first.json"));
        KvConfigStore second = new KvConfigStore(vertx, dir.resolve("second.json"));
        await(first.load());
        await(second.load());
        await(first.put("NS", "k", "one"));
        await(first.close());

        await(second.put("NS", "k", "two"));

        assertEquals("two", second.get("NS", "k"));
        assertTrue(Files.readString(dir.resolve("second.json")).contains("\"two\""));
        KvConfigStore reopened = new KvConfigStore(vertx, dir.resolve("first.json"));
        await(reopened.load());
        assertEquals("one", reopened.get("NS", "k"));
        await(reopened.close());
        await(second.close());
    }

    private static <T> T await(io.vertx.core.Future<T> f) throws Exception {
        return f.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
}

package io.tern.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@ExtendWith(VertxExtension.class)
class TernConfigLoaderTest {

    @Test
    void explicitYamlFileIsRead(Vertx vertx, VertxTestContext ctx, @TempDir Path dir) throws Exception {
        Path file = dir.resolve("my.yaml");
        Files.writeString(file, """
                nameserver:
                  listenPort: 1234
                broker:
                  brokerName: "broker-z"
                  store:
                    maxMessageBytes: 1024
                """);
        TernConfigLoader.load(vertx, Role.STANDALONE, file.toString()).onComplete(ctx.succeeding(loaded -> ctx.verify(() -> {
            JsonObject config = loaded.config();
            assertEquals(1234, config.getJsonObject("nameserver").getInteger("listenPort"));
            assertEquals("broker-z", config.getJsonObject("broker").getString("brokerName"));
            assertEquals(1024, config.getJsonObject("broker").getJsonObject("store").getInteger("maxMessageBytes"));
            assertEquals(file.toAbsolutePath().normalize().toString(), loaded.source());
            ctx.completeNow();
        })));
    }

    @Test
    void missingExplicitFileFails(Vertx vertx, VertxTestContext ctx, @TempDir Path dir) {
        TernConfigLoader.load(vertx, Role.BROKER, dir.resolve("nope.yaml").toString())
                .onComplete(ctx.failing(e -> ctx.verify(() -> {
                    assertTrue(e.getMessage().contains("nope.yaml"), e.getMessage());
                    ctx.completeNow();
                })));
    }

    /** The module's working directory has no conf/, so this reads the copy bundled on the classpath. */
    @Test
    void defaultFileFallsBackToTheBundledCopy(Vertx vertx, VertxTestContext ctx) {
        TernConfigLoader.load(vertx, Role.BROKER, null).onComplete(ctx.succeeding(loaded -> ctx.verify(() -> {
            assertEquals("classpath:conf/broker.yaml", loaded.source());
            JsonObject broker = loaded.config().getJsonObject("broker");
            assertTrue(broker.containsKey("namesrvAddr"), broker.encode());
            ctx.completeNow();
        })));
    }
}

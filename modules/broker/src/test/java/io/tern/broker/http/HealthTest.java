package io.tern.broker.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Health when the store refuses puts (a real disk-full condition), and a broker without HTTP. */
class HealthTest {
    @TempDir
    Path dir;

    @Test
    void healthIsDownAndSendsAreRefusedWhenTheStoreIsReadOnly() throws Exception {
        // any real disk is more than 1 % used: the store's disk check turns it read-only
        try (HttpTestBroker b = new HttpTestBroker(dir, "broker-full", c -> {
            c.store.diskHardLimitRatio = 1;
            c.store.diskCheckIntervalMs = 50;
        })) {
            HttpResponse<String> health = b.get("/api/health");
            for (int i = 0; i < 200 && health.statusCode() == 200; i++) {
                Thread.sleep(50);
                health = b.get("/api/health");
            }
            assertEquals(503, health.statusCode(), health.body());
            JsonObject h = new JsonObject(health.body());
            assertEquals("DOWN", h.getString("status"));
            assertFalse(h.getBoolean("storeWritable"));
            assertTrue(h.getString("reason").contains("disk"), h.getString("reason"));

            assertEquals(0.0, PrometheusText.parse(b.get("/metrics").body()).value("tern_store_writable"));
            HttpResponse<String> send = b.post("/api/topics/HT_FULL/messages", "x");
            assertEquals(503, send.statusCode(), send.body());
        }
    }

    @Test
    void noHttpServerWhenThePortIsMinusOne() throws Exception {
        try (HttpTestBroker b = new HttpTestBroker(dir, "broker-nohttp", c -> c.httpPort = -1)) {
            assertEquals(-1, b.broker.httpPort());
            assertTrue(b.broker.port() > 0);
        }
    }
}

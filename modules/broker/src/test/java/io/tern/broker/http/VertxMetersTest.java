package io.tern.broker.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tern.broker.metrics.VertxMeters;
import io.tern.common.message.MessageConst;
import io.tern.remoting.protocol.ResponseCode;
import io.vertx.core.VertxOptions;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Vert.x's own meters ({@link VertxMeters}) on a real broker's {@code GET /metrics}, next to Tern's: worker pools,
 * the event bus between the broker's components, the HTTP server and the deployed verticles, after traffic over the
 * remoting protocol on loopback.
 */
class VertxMetersTest {
    @TempDir
    Path dir;

    @Test
    void vertxMetersShowNextToTernsAfterTraffic() throws Exception {
        try (HttpTestBroker b = new HttpTestBroker(VertxMeters.builder(new VertxOptions()).build(), dir, "broker-vx",
                c -> { })) {
            for (int i = 0; i < 3; i++) {
                assertEquals(ResponseCode.SUCCESS, b.call(HttpTestBroker.sendV2("VX_T", 0, "12345", Map.of())).code());
            }
            // a delayed message: the store tells the scheduled-delivery verticle over the event bus
            assertEquals(ResponseCode.SUCCESS, b.call(HttpTestBroker.sendV2("VX_T", 0, "later",
                    Map.of(MessageConst.DELAY_TIME_LEVEL, "3"))).code());
            PrometheusText first = PrometheusText.parse(b.get("/metrics").body());
            PrometheusText text = PrometheusText.parse(b.get("/metrics").body());

            assertEquals(4.0, text.value("tern_messages_put_total", "topic", "VX_T"));
            assertTrue(text.has("jvm_threads_live_threads"));

            // the store writer's own pool of one thread ran at least one drain per send
            assertTrue(text.value("vertx_pool_completed_total", "pool_type", "worker", "pool_name",
                    "tern-store-writer") >= 1);
            assertTrue(text.has("vertx_pool_ratio", "pool_name", "tern-store-writer"));
            assertTrue(text.has("vertx_pool_queue_pending", "pool_name", "tern-store-flusher"));

            // the HTTP server counted the first scrape by the time of the second
            double before = requests(first);
            assertTrue(requests(text) > before, "GET requests counted: " + before + " -> " + requests(text));

            // the broker's control-plane addresses, without the broker's own address in the label
            assertTrue(text.value("vertx_eventbus_sent_total", "address", "tern.broker.schedule.stored",
                    "side", "local") >= 1);
            assertEquals(1.0, text.value("vertx_eventbus_handlers", "address", "tern.broker.schedule.stored"));
            assertFalse(text.samples.stream().anyMatch(s -> String.valueOf(s.labels().get("address"))
                    .contains("127.0.0.1")));

            assertEquals(1.0, text.value("vertx_verticle_deployed", "name", "StoreWriter"));
            assertTrue(text.value("vertx_verticle_deployed", "name", "HttpApiVerticle") >= 1);

            // per-buffer TCP meters are off unless asked for
            assertFalse(text.samples.stream().anyMatch(s -> s.name().startsWith("vertx_net_")));
        }
    }

    @Test
    void netMetersOnlyWhenAskedForAndNoneWhenSwitchedOff() throws Exception {
        try (HttpTestBroker b = new HttpTestBroker(VertxMeters.builder(new VertxOptions()).build(), dir.resolve("net"),
                "broker-net", c -> c.vertxMetricsNetEnabled = true)) {
            // Vert.x reports a connection's bytes in batches of a few KiB: send more than one batch
            String body = "x".repeat(16 * 1024);
            for (int i = 0; i < 2; i++) {
                assertEquals(ResponseCode.SUCCESS, b.call(HttpTestBroker.sendV2("VX_N", 0, body, Map.of())).code());
            }
            PrometheusText text = PrometheusText.parse(b.get("/metrics").body());
            assertTrue(text.value("vertx_net_server_active_connections") >= 1);
            assertTrue(text.value("vertx_net_server_bytes_read_total") >= 16 * 1024);
        }
        try (HttpTestBroker b = new HttpTestBroker(VertxMeters.builder(new VertxOptions()).build(), dir.resolve("off"),
                "broker-off", c -> c.vertxMetricsEnabled = false)) {
            assertEquals(ResponseCode.SUCCESS, b.call(HttpTestBroker.sendV2("VX_O", 0, "12345", Map.of())).code());
            PrometheusText text = PrometheusText.parse(b.get("/metrics").body());
            assertEquals(1.0, text.value("tern_messages_put_total", "topic", "VX_O"));
            assertFalse(text.samples.stream().anyMatch(s -> s.name().startsWith("vertx_")));
        }
    }

    @Test
    void eventBusAddressesLoseTheirInstance() {
        assertEquals("tern.broker.schedule.stored",
                VertxMeters.eventBusAddress("tern.broker.127.0.0.1:10911.schedule.stored"));
        assertEquals("tern.broker.transaction.half-stored",
                VertxMeters.eventBusAddress("tern.broker.[::1]:10911.transaction.half-stored"));
        assertEquals("tern.nameserver.request", VertxMeters.eventBusAddress("tern.nameserver.9876.request"));
        assertEquals("tern.other.name", VertxMeters.eventBusAddress("tern.other.name"));
        assertEquals("some.other", VertxMeters.eventBusAddress("some.other"));
    }

    private static double requests(PrometheusText text) {
        return text.find("vertx_http_server_requests_total", "method", "GET").stream()
                .mapToDouble(PrometheusText.Sample::value).sum();
    }
}

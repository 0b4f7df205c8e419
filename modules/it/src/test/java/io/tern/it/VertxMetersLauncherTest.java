package io.tern.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.rocketmq.client.producer.DefaultMQProducer;
import org.apache.rocketmq.client.producer.SendStatus;
import org.apache.rocketmq.common.message.Message;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fat jar's launcher builds Vert.x with Tern's Vert.x meters: after sends from the official 4.9 producer, the
 * standalone broker's {@code /metrics} shows the store writer's worker pool, the event bus between the broker's
 * components, the HTTP server's requests and the deployed verticles next to Tern's own meters.
 */
class VertxMetersLauncherTest {
    private static final Pattern READY = Pattern.compile("nameserver (127\\.0\\.0\\.1:\\d+).*http (\\d+)");
    private static final Pattern SAMPLE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{[^}]*\\})? (\\S+)$",
            Pattern.MULTILINE);

    @TempDir
    Path storeRoot;
    @TempDir
    Path workDir;

    @Test
    void theStandaloneBrokersMetricsCarryVertxMetersNextToTerns() throws Exception {
        List<String> command = new ArrayList<>(List.of(TernProcess.javaBinary().toString(), "-Xmx512m",
                "-Dtern.broker.store.commitLogSegmentBytes=67108864", "-jar", TernProcess.serverJar().toString(),
                "standalone"));
        try (TernProcess tern = TernProcess.start("standalone", command, workDir, Map.of(
                "TERN_NAMESERVER_PORT", "0", "TERN_BROKER_PORT", "0", "TERN_HTTP_PORT", "0", "TERN_HA_PORT", "0",
                "TERN_STORE_ROOT", storeRoot.toString()))) {
            tern.awaitLine(TernProcess.READY_MARKER, 180_000);
            Matcher ready = READY.matcher(tern.output());
            assertTrue(ready.find(), tern.output());
            String namesrv = ready.group(1);
            String metricsUri = "http://127.0.0.1:" + ready.group(2) + "/metrics";

            DefaultMQProducer producer = Clients.producer(namesrv);
            try {
                producer.start();
                for (int i = 0; i < 5; i++) {
                    Message message = new Message("VX_LAUNCH", ("m" + i).getBytes(StandardCharsets.UTF_8));
                    if (i == 4) {
                        message.setDelayTimeLevel(3); // goes to the scheduled-delivery verticle over the event bus
                    }
                    assertEquals(SendStatus.SEND_OK, producer.send(message).getSendStatus());
                }
            } finally {
                Clients.shutdown(producer);
            }

            HttpClient http = HttpClient.newHttpClient();
            String first = get(http, metricsUri);
            String text = get(http, metricsUri);

            assertTrue(value(text, "tern_messages_put_total", "topic=\"VX_LAUNCH\"") >= 5, text);
            assertTrue(value(text, "vertx_pool_completed_total", "pool_name=\"tern-store-writer\"") >= 1, text);
            assertTrue(value(text, "vertx_pool_queue_pending", "pool_name=\"tern-store-flusher\"") >= 0, text);
            assertTrue(value(text, "vertx_eventbus_sent_total", "address=\"tern.broker.schedule.stored\"") >= 1, text);
            assertEquals(1.0, value(text, "vertx_eventbus_handlers", "address=\"tern.nameserver.request\""), text);
            assertEquals(1.0, value(text, "vertx_verticle_deployed", "name=\"StoreWriter\""), text);
            assertTrue(value(text, "vertx_verticle_deployed", "name=\"NameServerVerticle\"") >= 1, text);
            double before = value(first, "vertx_http_server_requests_total", "method=\"GET\"");
            assertTrue(value(text, "vertx_http_server_requests_total", "method=\"GET\"") > before, text);
            assertFalse(text.contains("vertx_net_"), "TCP meters are off by default");
            assertFalse(tern.output().contains("WARN io.micrometer"), tern.output());
        }
    }

    private static String get(HttpClient http, String uri) throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(uri)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode());
        return response.body();
    }

    /** The sum of the samples of {@code name} whose labels contain {@code label} (-1 when there is none). */
    private static double value(String text, String name, String label) {
        Matcher m = SAMPLE.matcher(text);
        double sum = 0;
        boolean found = false;
        while (m.find()) {
            if (m.group(1).equals(name) && m.group(2) != null && m.group(2).contains(label)) {
                sum += Double.parseDouble(m.group(3));
                found = true;
            }
        }
        return found ? sum : -1;
    }
}

package io.tern.broker.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tern.remoting.protocol.RemotingCommand;
import io.tern.remoting.protocol.RequestCode;
import io.tern.remoting.protocol.ResponseCode;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code GET /metrics} after traffic sent over the remoting protocol; each broker has its own registry. */
class MetricsTest {
    @TempDir
    Path dir;

    @Test
    void putPullLagAndStoreMetricsAfterTraffic() throws Exception {
        try (HttpTestBroker b = new HttpTestBroker(dir.resolve("a"), "broker-m")) {
            for (int i = 0; i < 3; i++) {
                assertEquals(ResponseCode.SUCCESS, b.call(HttpTestBroker.sendV2("HT_M", 0, "12345", Map.of())).code());
            }
            assertEquals(ResponseCode.SYSTEM_ERROR, b.call(HttpTestBroker.sendV2("bad topic!", 0, "x", Map.of())).code());
            assertEquals(ResponseCode.SUCCESS, b.call(HttpTestBroker.pull("G_M", "HT_M", 0, 0, -1)).code());
            b.call(HttpTestBroker.pull("G_M", "HT_M", 0, 3, 2));

            String heartbeat = "{\"clientID\":\"c1\",\"consumerDataSet\":[{\"consumeFromWhere\":\"CONSUME_FROM_LAST_OFFSET\","
                    + "\"consumeType\":\"CONSUME_PASSIVELY\",\"groupName\":\"G_M\",\"messageModel\":\"CLUSTERING\","
                    + "\"subscriptionDataSet\":[{\"expressionType\":\"TAG\",\"subString\":\"*\",\"subVersion\":1,"
                    + "\"topic\":\"HT_M\"}],\"unitMode\":false}],\"producerDataSet\":[{\"groupName\":\"PG_M\"}]}";
            assertEquals(ResponseCode.SUCCESS, b.call(RemotingCommand.request(RequestCode.HEART_BEAT)
                    .body(heartbeat.getBytes(StandardCharsets.UTF_8))).code());

            HttpResponse<String> r = b.get("/metrics");
            assertEquals(200, r.statusCode());
            assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("text/plain"));
            PrometheusText text = PrometheusText.parse(r.body());

            assertEquals(3.0, text.value("tern_messages_put_total", "topic", "HT_M"));
            assertEquals(15.0, text.value("tern_messages_put_bytes_total", "topic", "HT_M"));
            assertEquals(1.0, text.value("tern_put_failures_total", "reason", "system_error"));
            assertEquals(3.0, text.value("tern_messages_pulled_total", "topic", "HT_M", "group", "G_M"));
            assertEquals(1.0, text.value("tern_consumer_lag_messages", "topic", "HT_M", "group", "G_M"));
            assertEquals(4.0, text.value("tern_send_latency_seconds_count"));
            assertTrue(text.has("tern_send_latency_seconds_bucket", "le", "0.001"));
            assertEquals(3.0, text.value("tern_broker_messages_put_total"));
            assertEquals(1.0, text.value("tern_consumer_clients", "group", "G_M"));
            assertEquals(1.0, text.value("tern_producer_clients", "group", "PG_M"));
            assertEquals(1.0, text.value("tern_store_writable"));
            assertTrue(text.value("tern_store_writer_requests_total") >= 3, "the three sends went through the writer");
            assertTrue(text.value("tern_store_writer_queued_seconds_total") > 0);
            assertTrue(text.value("tern_store_writer_batch_seconds_total") > 0);
            assertEquals("counter", text.typeOf("tern_store_writer_queued_seconds_total"));
            assertTrue(text.value("tern_commitlog_max_offset_bytes") > 0);
            assertTrue(text.value("tern_remoting_connections") >= 1);
            assertEquals(0.0, text.value("tern_pull_parked_requests"));
            assertTrue(text.find("jvm_memory_used_bytes", "area", "heap").stream().anyMatch(s -> s.value() > 0));
            assertTrue(text.has("jvm_threads_live_threads"));
            assertTrue(text.has("system_cpu_count"));
            assertTrue(text.has("process_uptime_seconds"));
            assertEquals("counter", text.typeOf("tern_messages_put_total"));
            assertEquals("histogram", text.typeOf("tern_send_latency_seconds"));

            try (HttpTestBroker other = new HttpTestBroker(dir.resolve("b"), "broker-n")) {
                PrometheusText otherText = PrometheusText.parse(other.get("/metrics").body());
                assertFalse(otherText.has("tern_messages_put_total", "topic", "HT_M"));
                assertTrue(otherText.has("tern_store_writable"));
            }
            // the first broker still answers after the second one stopped (its own GC binders were closed)
            assertEquals(3.0, PrometheusText.parse(b.get("/metrics").body())
                    .value("tern_messages_put_total", "topic", "HT_M"));
        }
    }
}

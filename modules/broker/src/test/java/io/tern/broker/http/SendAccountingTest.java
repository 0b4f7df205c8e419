package io.tern.broker.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.tern.common.Json;
import io.tern.remoting.protocol.RemotingCommand;
import io.tern.remoting.protocol.RequestCode;
import io.tern.remoting.protocol.ResponseCode;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One send is counted once and shows on both surfaces that report sends: {@code /metrics} (Prometheus) and
 * GET_BROKER_RUNTIME_INFO (what the admin tools read), over real sockets.
 */
class SendAccountingTest {
    @TempDir
    Path dir;

    @Test
    void oneSendMovesTheMetricsAndTheRuntimeStatsTogether() throws Exception {
        try (HttpTestBroker b = new HttpTestBroker(dir, "broker-acc")) {
            PrometheusText before = PrometheusText.parse(b.get("/metrics").body());
            assertEquals(0.0, before.value("tern_broker_messages_put_total"));
            assertFalse(before.has("tern_messages_put_total", "topic", "ACC"));
            assertEquals("0", runtimeInfo(b).get("msgPutTotalTodayNow").asText());

            assertEquals(ResponseCode.SUCCESS, b.call(HttpTestBroker.sendV2("ACC", 0, "12345", Map.of())).code());

            PrometheusText after = PrometheusText.parse(b.get("/metrics").body());
            assertEquals(1.0, after.value("tern_messages_put_total", "topic", "ACC"));
            assertEquals(5.0, after.value("tern_messages_put_bytes_total", "topic", "ACC"));
            assertEquals(1.0, after.value("tern_broker_messages_put_total"));
            assertEquals(1.0, after.value("tern_send_latency_seconds_count"));
            assertFalse(after.has("tern_put_failures_total"));
            JsonNode info = runtimeInfo(b);
            assertEquals("1", info.get("msgPutTotalTodayNow").asText());
            double putTps10s = Double.parseDouble(info.get("putTps").asText().split(" ")[0]);
            assertTrue(putTps10s > 0, "putTps counts the send since the start-up sample: " + info.get("putTps"));

            // refused before the store: a failure and a latency sample, and no put on either surface
            assertEquals(ResponseCode.SYSTEM_ERROR,
                    b.call(HttpTestBroker.sendV2("bad topic!", 0, "x", Map.of())).code());
            PrometheusText refused = PrometheusText.parse(b.get("/metrics").body());
            assertEquals(1.0, refused.value("tern_put_failures_total", "reason", "system_error"));
            assertEquals(2.0, refused.value("tern_send_latency_seconds_count"));
            assertEquals(1.0, refused.value("tern_broker_messages_put_total"));
            assertEquals(1.0, refused.value("tern_messages_put_total", "topic", "ACC"));
            assertEquals("1", runtimeInfo(b).get("msgPutTotalTodayNow").asText());
        }
    }

    private static JsonNode runtimeInfo(HttpTestBroker b) throws Exception {
        RemotingCommand r = b.call(RemotingCommand.request(RequestCode.GET_BROKER_RUNTIME_INFO));
        assertEquals(ResponseCode.SUCCESS, r.code());
        return Json.MAPPER.readTree(r.bodyBytes()).get("table");
    }
}

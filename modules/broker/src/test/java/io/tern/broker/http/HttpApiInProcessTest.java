package io.tern.broker.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tern.broker.metrics.BrokerMetrics;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The HTTP API asks its own broker over the event bus: topic updates and sends made over HTTP go through the
 * broker's processors without a TCP connection to the broker (its connection count stays 0, where the former
 * loopback client kept one connection open).
 */
class HttpApiInProcessTest {
    @TempDir
    Path dir;

    @Test
    void topicUpdatesAndSendsOverHttpOpenNoConnectionToTheBroker() throws Exception {
        try (HttpTestBroker b = new HttpTestBroker(dir, "http-in-process")) {
            BrokerMetrics metrics = b.broker.components().metrics();
            assertEquals(0, metrics.connections(), "no connection before");

            HttpResponse<String> created = b.post("/api/topics",
                    "{\"topic\":\"HIP_T\",\"readQueueNums\":2,\"writeQueueNums\":2}");
            assertEquals(201, created.statusCode(), created.body());
            HttpResponse<String> updated = b.post("/api/topics", "{\"topic\":\"HIP_T\",\"perm\":6}");
            assertEquals(200, updated.statusCode(), updated.body());
            for (int i = 0; i < 3; i++) {
                HttpResponse<String> sent = b.post("/api/topics/HIP_T/messages?queueId=1&keys=k" + i, "m" + i);
                assertEquals(200, sent.statusCode(), sent.body());
                assertEquals("SEND_OK", new JsonObject(sent.body()).getString("status"));
            }

            assertEquals(0, metrics.connections(), "the HTTP API opened no connection to its broker");
            assertEquals(2, b.broker.components().topics().get("HIP_T").writeQueueNums);
            assertEquals(3, b.broker.components().store().maxOffsetInQueue("HIP_T", 1), "stored by the processor");
        }
    }
}

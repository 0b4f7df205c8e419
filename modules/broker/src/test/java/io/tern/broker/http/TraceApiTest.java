package io.tern.broker.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tern.remoting.protocol.RemotingCommand;
import io.tern.remoting.protocol.ResponseCode;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code GET /api/messages/{id}/trace} against a broker with {@code brokerTraceEnable}: the broker's own Pub record
 * of sends over the wire and over HTTP, and a client's consumption records (as the 4.9 client writes them) put
 * together by message id.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TraceApiTest {
    static final String C = "\u0001";
    static final String F = "\u0002";

    @TempDir
    static Path dir;
    HttpTestBroker b;

    @BeforeAll
    void start() throws Exception {
        b = new HttpTestBroker(dir, "broker-trace", c -> c.brokerTraceEnable = true);
    }

    @AfterAll
    void stop() throws Exception {
        b.close();
    }

    @Test
    void theBrokerTracesASendAndAClientsConsumptionRecordsJoinIt() throws Exception {
        assertTrue(b.broker.components().topics().contains("RMQ_SYS_TRACE_TOPIC"), "created by brokerTraceEnable");
        RemotingCommand sent = b.call(HttpTestBroker.sendV2("TR_ORDERS", 0, "hello",
                Map.of("UNIQ_KEY", "UNIQ-1", "TAGS", "TagA", "KEYS", "order-1")));
        assertEquals(ResponseCode.SUCCESS, sent.code(), sent.remark());
        String offsetMsgId = sent.ext("msgId");

        JsonObject trace = eventually(() -> b.get("/api/messages/UNIQ-1/trace"));
        JsonArray published = trace.getJsonArray("published");
        assertEquals(1, published.size());
        JsonObject pub = published.getJsonObject(0);
        assertEquals("broker", pub.getString("source"));
        assertEquals("PG", pub.getString("producerGroup"));
        assertEquals("TR_ORDERS", pub.getString("topic"));
        assertEquals("TagA", pub.getString("tags"));
        assertEquals("order-1", pub.getString("keys"));
        assertEquals(offsetMsgId, pub.getString("offsetMsgId"));
        assertTrue(pub.getBoolean("success"));
        JsonObject message = trace.getJsonObject("message");
        assertEquals("UNIQ-1", message.getString("uniqKey"));
        assertTrue(message.getLong("storeTimestamp") >= pub.getLong("sendTimestamp"));

        // a consumer with trace on writes SubBefore / SubAfter under the message id as key
        String consumed = String.join(C, "SubBefore", "1700000000100", "DefaultRegion", "CG", "req-1", "UNIQ-1",
                "0", "order-1") + F
                + String.join(C, "SubAfter", "req-1", "UNIQ-1", "7", "true", "order-1", "0", "1700000000107", "CG")
                + F;
        assertEquals(ResponseCode.SUCCESS, b.call(HttpTestBroker.sendV2("RMQ_SYS_TRACE_TOPIC", 0, consumed,
                Map.of("KEYS", "UNIQ-1 order-1"))).code());
        JsonObject withConsumer = eventually(() -> b.get("/api/messages/UNIQ-1/trace"), t ->
                t.getJsonArray("consumed").size() == 1);
        JsonObject sub = withConsumer.getJsonArray("consumed").getJsonObject(0);
        assertEquals("CG", sub.getString("group"));
        assertEquals(7, sub.getInteger("costTimeMs"));
        assertTrue(sub.getBoolean("success"));
        // the client's own trace send is not traced again
        assertEquals(1, withConsumer.getJsonArray("published").size());
    }

    @Test
    void aMessageSentOverHttpIsTracedByItsOffsetId() throws Exception {
        HttpResponse<String> posted = b.post("/api/topics/TR_HTTP/messages?tags=TagH", "from http");
        assertEquals(200, posted.statusCode(), posted.body());
        String msgId = new JsonObject(posted.body()).getString("msgId");
        JsonObject trace = eventually(() -> b.get("/api/messages/" + msgId + "/trace"));
        JsonObject pub = trace.getJsonArray("published").getJsonObject(0);
        assertEquals(MessageRoutes.HTTP_PRODUCER_GROUP, pub.getString("producerGroup"));
        assertEquals(msgId, pub.getString("offsetMsgId"));

        assertEquals(404, b.get("/api/messages/NO-SUCH-ID/trace").statusCode());
    }

    private static JsonObject eventually(Check<HttpResponse<String>> get) throws Exception {
        return eventually(get, t -> true);
    }

    /** The trace record is put after the send answered: poll until it is indexed. */
    private static JsonObject eventually(Check<HttpResponse<String>> get, java.util.function.Predicate<JsonObject> ok)
            throws Exception {
        long deadline = System.nanoTime() + 10_000_000_000L;
        HttpResponse<String> last = null;
        while (System.nanoTime() < deadline) {
            last = get.get();
            if (last.statusCode() == 200 && ok.test(new JsonObject(last.body()))) {
                return new JsonObject(last.body());
            }
            Thread.sleep(50);
        }
        throw new AssertionError("no trace: " + (last == null ? "-" : last.statusCode() + " " + last.body()));
    }

    interface Check<T> {
        T get() throws Exception;
    }
}

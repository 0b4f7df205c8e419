package io.tern.broker.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tern.common.message.MessageIds;
import io.tern.remoting.protocol.RemotingCommand;
import io.tern.remoting.protocol.ResponseCode;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** The JSON admin API against a real broker; one broker for the class, each test on its own topics. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HttpApiTest {
    @TempDir
    static Path dir;
    HttpTestBroker b;

    @BeforeAll
    void start() throws Exception {
        b = new HttpTestBroker(dir, "broker-http");
    }

    @AfterAll
    void stop() throws Exception {
        b.close();
    }

    @Test
    void healthAndBrokerInfo() throws Exception {
        HttpResponse<String> health = b.get("/api/health");
        assertEquals(200, health.statusCode());
        assertTrue(health.headers().firstValue("Content-Type").orElse("").startsWith("application/json"));
        JsonObject h = new JsonObject(health.body());
        assertEquals("UP", h.getString("status"));
        assertTrue(h.getBoolean("storeWritable"));

        JsonObject info = b.getObject("/api/broker");
        assertEquals("broker-http", info.getString("brokerName"));
        assertEquals("DefaultCluster", info.getString("clusterName"));
        assertEquals(b.broker.address(), info.getString("address"));
        assertTrue(info.getLong("uptimeMs") >= 0);
        assertTrue(info.getJsonObject("store").getBoolean("writable"));
        assertNotNull(info.getJsonObject("store").getLong("maxPhysicalOffset"));
    }

    @Test
    void topicsListAndDetailWithQueueOffsets() throws Exception {
        for (int i = 0; i < 3; i++) {
            assertEquals(ResponseCode.SUCCESS, b.call(HttpTestBroker.sendV2("HT_TOPICS", 1, "m" + i, Map.of())).code());
        }
        JsonArray topics = b.getArray("/api/topics");
        JsonObject listed = find(topics, "topic", "HT_TOPICS");
        assertEquals(3, listed.getLong("messages"));
        assertFalse(listed.getBoolean("system"));
        assertTrue(find(topics, "topic", "TBW102").getBoolean("system"));

        JsonObject t = b.getObject("/api/topics/HT_TOPICS");
        assertEquals(6, t.getInteger("perm"));
        JsonObject q1 = find(t.getJsonArray("queues"), "queueId", 1);
        assertEquals(0, q1.getLong("minOffset"));
        assertEquals(3, q1.getLong("maxOffset"));
        assertTrue(q1.getLong("lastStoreTimestamp") > 0);
        assertEquals(0, find(t.getJsonArray("queues"), "queueId", 0).getLong("maxOffset"));

        HttpResponse<String> missing = b.get("/api/topics/NO_SUCH_TOPIC");
        assertEquals(404, missing.statusCode());
        assertTrue(new JsonObject(missing.body()).getString("error").contains("NO_SUCH_TOPIC"));
    }

    @Test
    void createTopicThroughTheAdminProcessor() throws Exception {
        HttpResponse<String> created = b.post("/api/topics",
                "{\"topic\":\"HT_CREATED\",\"readQueueNums\":2,\"writeQueueNums\":2,\"perm\":6}");
        assertEquals(201, created.statusCode(), created.body());
        assertEquals(2, new JsonObject(created.body()).getInteger("writeQueueNums"));
        assertEquals(2, b.broker.components().topics().get("HT_CREATED").readQueueNums);

        HttpResponse<String> updated = b.post("/api/topics", "{\"topic\":\"HT_CREATED\",\"perm\":4}");
        assertEquals(200, updated.statusCode(), updated.body());
        assertEquals(4, b.broker.components().topics().get("HT_CREATED").perm);
        assertEquals(2, b.broker.components().topics().get("HT_CREATED").writeQueueNums);

        assertEquals(400, b.post("/api/topics", "not json").statusCode());
        assertEquals(400, b.post("/api/topics", "{\"readQueueNums\":2}").statusCode());
        assertEquals(400, b.post("/api/topics", "{\"topic\":\"HT_X\",\"perm\":\"rw\"}").statusCode());
        assertEquals(400, b.post("/api/topics", "{\"topic\":\"HT_X\",\"order\":\"yes\"}").statusCode());
        assertEquals(400, b.post("/api/topics", "[1]").statusCode());
        HttpResponse<String> bad = b.post("/api/topics", "{\"topic\":\"bad topic!\"}");
        assertEquals(400, bad.statusCode());
        assertNotNull(new JsonObject(bad.body()).getString("error"));
    }

    @Test
    void messageLookupByOffsetIdAndByKey() throws Exception {
        RemotingCommand sent = b.call(HttpTestBroker.sendV2("HT_LOOKUP", 0, "héllo body",
                Map.of("TAGS", "TagA", "KEYS", "order-1 order-2", "UNIQ_KEY", "U-LOOKUP-1", "color", "blue")));
        assertEquals(ResponseCode.SUCCESS, sent.code(), sent.remark());
        String msgId = sent.ext("msgId");

        JsonObject m = b.getObject("/api/messages/" + msgId);
        assertEquals(msgId, m.getString("msgId"));
        assertEquals("HT_LOOKUP", m.getString("topic"));
        assertEquals(0, m.getInteger("queueId"));
        assertEquals(0, m.getLong("queueOffset"));
        assertEquals(MessageIds.physicalOffset(msgId), m.getLong("physicalOffset"));
        assertEquals("utf8", m.getString("bodyEncoding"));
        assertEquals("héllo body", m.getString("body"));
        assertEquals("TagA", m.getString("tags"));
        assertEquals("order-1 order-2", m.getString("keys"));
        assertEquals("U-LOOKUP-1", m.getString("uniqKey"));
        assertEquals("blue", m.getJsonObject("properties").getString("color"));
        assertTrue(m.getLong("storeTimestamp") > 0);

        // lower case is accepted too
        assertEquals(200, b.get("/api/messages/" + msgId.toLowerCase()).statusCode());
        assertEquals(400, b.get("/api/messages/xyz").statusCode());
        String beyond = MessageIds.offsetMsgId(b.broker.components().address().hostBytes(), b.broker.port(), 1L << 40);
        assertEquals(404, b.get("/api/messages/" + beyond).statusCode());
        String otherBroker = MessageIds.offsetMsgId(new byte[] {10, 1, 2, 3}, 10911, 0);
        assertEquals(404, b.get("/api/messages/" + otherBroker).statusCode());

        JsonArray byKey = b.getArray("/api/messages?topic=HT_LOOKUP&key=order-2");
        assertEquals(1, byKey.size());
        assertEquals(msgId, byKey.getJsonObject(0).getString("msgId"));
        assertEquals(0, b.getArray("/api/messages?topic=HT_LOOKUP&key=nothing").size());
        assertEquals(400, b.get("/api/messages?topic=HT_LOOKUP").statusCode());
    }

    @Test
    void binaryBodiesAreShownAsBase64() throws Exception {
        RemotingCommand send = HttpTestBroker.sendV2("HT_BINARY", 0, "", Map.of());
        byte[] body = {(byte) 0xFF, (byte) 0xFE, 0, 1, 2};
        send.body(body);
        RemotingCommand sent = b.call(send);
        assertEquals(ResponseCode.SUCCESS, sent.code(), sent.remark());
        JsonObject m = b.getObject("/api/messages/" + sent.ext("msgId"));
        assertEquals("base64", m.getString("bodyEncoding"));
        assertEquals(java.util.Base64.getEncoder().encodeToString(body), m.getString("body"));
    }

    @Test
    void postedMessageIsStoredIndexedAndPulled() throws Exception {
        HttpResponse<String> posted = b.post("/api/topics/HT_POST/messages?tags=TagP&keys=k-post&queueId=2"
                + "&properties=%7B%22origin%22%3A%22http%22%7D", "from http");
        assertEquals(200, posted.statusCode(), posted.body());
        JsonObject r = new JsonObject(posted.body());
        assertEquals("SEND_OK", r.getString("status"));
        assertEquals(2, r.getInteger("queueId"));
        assertEquals(0, r.getLong("queueOffset"));
        String msgId = r.getString("msgId");
        assertEquals(b.broker.port(), MessageIds.storeHost(msgId).getPort());

        RemotingCommand pulled = b.call(HttpTestBroker.pull("G_HTTP_POST", "HT_POST", 2, 0, -1));
        assertEquals(ResponseCode.SUCCESS, pulled.code(), pulled.remark());
        ByteBuffer rec = ByteBuffer.wrap(pulled.bodyBytes());
        var record = io.tern.broker.message.StoredRecord.decode(rec);
        byte[] body = new byte[record.body().remaining()];
        record.body().get(body);
        assertEquals("from http", new String(body, StandardCharsets.UTF_8));
        assertTrue(record.properties().contains("TagP"));
        assertTrue(record.properties().contains("origin"));

        assertEquals(1, b.getArray("/api/messages?topic=HT_POST&key=k-post").size());
        assertEquals("from http", b.getObject("/api/messages/" + msgId).getString("body"));

        assertEquals(400, b.post("/api/topics/HT_POST/messages", "").statusCode());
        assertEquals(400, b.post("/api/topics/HT_POST/messages?queueId=abc", "x").statusCode());
        assertEquals(400, b.post("/api/topics/HT_POST/messages?properties=%5B1%5D", "x").statusCode());
        assertEquals(400, b.post("/api/topics/HT_POST/messages?queueId=99", "x").statusCode());
        assertEquals(400, b.post("/api/topics/bad%20topic/messages", "x").statusCode());
    }

    @Test
    void delayLevelIsValidatedAsDocumented() throws Exception {
        for (String bad : new String[] {"0", "19", "-1", "soon"}) {
            HttpResponse<String> r = b.post("/api/topics/HT_DELAY/messages?delayLevel=" + bad, "x");
            assertEquals(400, r.statusCode(), bad);
            assertTrue(r.body().contains("delayLevel must be 1..18"), r.body());
        }
        // the DELAY property given among the properties is held to the same range
        assertEquals(400, b.post("/api/topics/HT_DELAY/messages?properties=%7B%22DELAY%22%3A%2299%22%7D", "x")
                .statusCode());
        HttpResponse<String> ok = b.post("/api/topics/HT_DELAY/messages?delayLevel=18", "later");
        assertEquals(200, ok.statusCode(), ok.body());
    }

    @Test
    void resetOffsetToATimeThroughTheApi() throws Exception {
        for (int i = 0; i < 3; i++) {
            assertEquals(ResponseCode.SUCCESS, b.call(HttpTestBroker.sendV2("HT_RESET", 0, "m" + i, Map.of())).code());
        }
        b.call(HttpTestBroker.pull("G_RESET", "HT_RESET", 0, 3, 3));
        long secondStored = b.broker.components().store().storeTime("HT_RESET", 0, 1);
        long firstStored = b.broker.components().store().storeTime("HT_RESET", 0, 0);
        long expected = secondStored == firstStored ? 0 : 1;

        HttpResponse<String> r = b.post("/api/groups/G_RESET/reset-offset",
                new JsonObject().put("topic", "HT_RESET").put("timestamp", secondStored).encode());
        assertEquals(200, r.statusCode(), r.body());
        JsonObject q0 = find(new JsonObject(r.body()).getJsonArray("queues"), "queueId", 0);
        assertEquals(expected, q0.getLong("offset"));
        assertEquals(expected, b.broker.components().offsets().query("G_RESET", "HT_RESET", 0));

        assertEquals(404, b.post("/api/groups/NO_SUCH_GROUP/reset-offset",
                new JsonObject().put("topic", "HT_RESET").put("timestamp", 0).encode()).statusCode());
        assertEquals(404, b.post("/api/groups/G_RESET/reset-offset",
                new JsonObject().put("topic", "NO_SUCH_TOPIC").put("timestamp", 0).encode()).statusCode());
        assertEquals(400, b.post("/api/groups/G_RESET/reset-offset", "{\"topic\":\"HT_RESET\"}").statusCode());
        assertEquals(400, b.post("/api/groups/G_RESET/reset-offset", "not json").statusCode());
    }

    @Test
    void groupsWithOffsetsAndLag() throws Exception {
        for (int i = 0; i < 5; i++) {
            assertEquals(ResponseCode.SUCCESS, b.call(HttpTestBroker.sendV2("HT_LAG", 0, "m" + i, Map.of())).code());
        }
        // pull all five, then commit 2 with the next pull
        assertEquals(ResponseCode.SUCCESS, b.call(HttpTestBroker.pull("G_LAG", "HT_LAG", 0, 0, -1)).code());
        b.call(HttpTestBroker.pull("G_LAG", "HT_LAG", 0, 5, 2));

        JsonObject g = b.getObject("/api/groups/G_LAG");
        assertEquals("G_LAG", g.getString("group"));
        assertEquals(3, g.getLong("lag"));
        JsonObject topic = find(g.getJsonArray("topics"), "topic", "HT_LAG");
        JsonObject q0 = find(topic.getJsonArray("queues"), "queueId", 0);
        assertEquals(5, q0.getLong("brokerOffset"));
        assertEquals(2, q0.getLong("consumerOffset"));
        assertEquals(3, q0.getLong("lag"));
        assertNotNull(g.getJsonObject("config"));

        JsonObject listed = find(b.getArray("/api/groups"), "group", "G_LAG");
        assertEquals(3, listed.getLong("lag"));
        assertTrue(listed.getJsonArray("topics").contains("HT_LAG"));

        assertEquals(404, b.get("/api/groups/NO_SUCH_GROUP").statusCode());
        assertEquals(404, b.get("/api/nothing-here").statusCode());
    }

    @Test
    void consoleIsServedAtRoot() throws Exception {
        HttpResponse<String> index = b.get("/");
        assertEquals(200, index.statusCode());
        assertTrue(index.headers().firstValue("Content-Type").orElse("").startsWith("text/html"));
        assertTrue(index.body().contains("console.js"));
        assertTrue(index.body().contains("/metrics"));
        assertEquals(200, b.get("/console.js").statusCode());
        assertEquals(200, b.get("/console.css").statusCode());
    }

    static JsonObject find(JsonArray array, String field, Object value) {
        List<String> seen = new ArrayList<>();
        for (int i = 0; i < array.size(); i++) {
            JsonObject o = array.getJsonObject(i);
            Object v = o.getValue(field);
            if (value.equals(v) || (value instanceof Number n && v instanceof Number m && n.longValue() == m.longValue())) {
                return o;
            }
            seen.add(String.valueOf(v));
        }
        throw new AssertionError("no " + field + "=" + value + " in " + seen);
    }
}

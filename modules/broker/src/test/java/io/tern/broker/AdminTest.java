package io.tern.broker;

import static io.tern.broker.BrokerHarness.props;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.tern.common.Json;
import io.tern.common.protocol.TopicConfigSerializeWrapper;
import io.tern.remoting.protocol.RemotingCommand;
import io.tern.remoting.protocol.RequestCode;
import io.tern.remoting.protocol.ResponseCode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AdminTest {
    @TempDir
    Path dir;
    BrokerHarness h;

    @BeforeEach
    void start() throws Exception {
        h = new BrokerHarness(dir);
    }

    @AfterEach
    void stop() throws Exception {
        h.close();
    }

    static RemotingCommand createTopic(String topic, int queues) {
        return RemotingCommand.request(RequestCode.UPDATE_AND_CREATE_TOPIC).put("topic", topic)
                .put("defaultTopic", "TBW102").put("readQueueNums", queues).put("writeQueueNums", queues)
                .put("perm", 6).put("topicFilterType", "SINGLE_TAG").put("topicSysFlag", 0).put("order", false);
    }

    private TopicConfigSerializeWrapper allTopics() throws Exception {
        RemotingCommand r = h.call(RemotingCommand.request(RequestCode.GET_ALL_TOPIC_CONFIG));
        assertEquals(ResponseCode.SUCCESS, r.code());
        return Json.fromBytes(r.bodyBytes(), TopicConfigSerializeWrapper.class);
    }

    @Test
    void createStatsAndDeleteTopic() throws Exception {
        long versionBefore = h.nameServer.last().body().topicConfigSerializeWrapper.dataVersion.counter;
        assertEquals(ResponseCode.SUCCESS, h.call(createTopic("AdminT", 2)).code());
        assertEquals(2, allTopics().topicConfigTable.get("AdminT").readQueueNums);
        var reg = h.nameServer.last().body().topicConfigSerializeWrapper;
        assertNotNull(reg.topicConfigTable.get("AdminT"), "registered right after the change");
        assertTrue(reg.dataVersion.counter > versionBefore);

        assertEquals(ResponseCode.SYSTEM_ERROR, h.call(createTopic("bad/name", 2)).code());
        assertEquals(ResponseCode.SYSTEM_ERROR, h.call(createTopic("SCHEDULE_TOPIC_XXXX", 2)).code());

        h.call(BrokerHarness.sendV2("AdminT", 1, "x", props()));
        h.call(BrokerHarness.sendV2("AdminT", 1, "y", props()));
        RemotingCommand stats = h.call(RemotingCommand.request(RequestCode.GET_TOPIC_STATS_INFO).put("topic", "AdminT"));
        assertEquals(ResponseCode.SUCCESS, stats.code());
        JsonNode table = Json.MAPPER.readTree(stats.bodyBytes()).get("offsetTable");
        assertEquals(2, table.size());
        boolean sawQueue1 = false;
        for (Iterator<Map.Entry<String, JsonNode>> it = table.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            JsonNode mq = Json.MAPPER.readTree(e.getKey());
            if (mq.get("queueId").asInt() == 1) {
                sawQueue1 = true;
                assertEquals("broker-a", mq.get("brokerName").asText());
                assertEquals(2, e.getValue().get("maxOffset").asLong());
                assertTrue(e.getValue().get("lastUpdateTimestamp").asLong() > 0);
            }
        }
        assertTrue(sawQueue1);
        assertEquals(ResponseCode.TOPIC_NOT_EXIST,
                h.call(RemotingCommand.request(RequestCode.GET_TOPIC_STATS_INFO).put("topic", "Nope")).code());

        h.call(OffsetsTest.update("CGA", "AdminT", 1, 1));
        RemotingCommand consume = h.call(RemotingCommand.request(RequestCode.GET_CONSUME_STATS)
                .put("consumerGroup", "CGA"));
        assertEquals(ResponseCode.SUCCESS, consume.code());
        JsonNode cs = Json.MAPPER.readTree(consume.bodyBytes());
        assertEquals(2, cs.get("offsetTable").size());
        assertTrue(cs.has("consumeTps"));
        RemotingCommand byWho = h.call(RemotingCommand.request(RequestCode.QUERY_TOPIC_CONSUME_BY_WHO)
                .put("topic", "AdminT"));
        assertTrue(new String(byWho.bodyBytes(), StandardCharsets.UTF_8).contains("CGA"));

        RemotingCommand del = h.call(RemotingCommand.request(RequestCode.DELETE_TOPIC_IN_BROKER).put("topic", "AdminT"));
        assertEquals(ResponseCode.SUCCESS, del.code(), del.remark());
        assertNull(allTopics().topicConfigTable.get("AdminT"));
        assertEquals(ResponseCode.SYSTEM_ERROR, h.call(RemotingCommand.request(RequestCode.DELETE_TOPIC_IN_BROKER)
                .put("topic", "TBW102")).code());
    }

    @Test
    void consumeStatsReportTheGroupsPullRateOverTheLastMinute() throws Exception {
        for (int i = 0; i < 6; i++) {
            h.call(BrokerHarness.sendV2("TpsT", 0, "m" + i, props()));
        }
        h.call(OffsetsTest.update("TpsGroup", "TpsT", 0, 0));
        var rates = h.broker.components().metrics().consumeRates();
        long t0 = System.currentTimeMillis();
        rates.sample(t0);
        RemotingCommand pulled = h.call(BrokerHarness.pull("TpsGroup", "TpsT", 0, 0, "*", 0));
        assertEquals(ResponseCode.SUCCESS, pulled.code(), pulled.remark());
        rates.sample(t0 + 30_000);
        rates.sample(t0 + 60_000);

        RemotingCommand consume = h.call(RemotingCommand.request(RequestCode.GET_CONSUME_STATS)
                .put("consumerGroup", "TpsGroup").put("topic", "TpsT"));
        assertEquals(ResponseCode.SUCCESS, consume.code(), consume.remark());
        // six messages pulled within the minute: 0.1 per second
        assertEquals(0.1, Json.MAPPER.readTree(consume.bodyBytes()).get("consumeTps").asDouble(), 1e-9);

        // a minute later without pulls the rate falls back to zero
        rates.sample(t0 + 90_000);
        rates.sample(t0 + 120_000);
        consume = h.call(RemotingCommand.request(RequestCode.GET_CONSUME_STATS)
                .put("consumerGroup", "TpsGroup").put("topic", "TpsT"));
        assertEquals(0.0, Json.MAPPER.readTree(consume.bodyBytes()).get("consumeTps").asDouble(), 1e-9);
    }

    @Test
    void runtimeInfoHasEveryNumericKey() throws Exception {
        h.call(BrokerHarness.sendV2("RT", 0, "x", props()));
        RemotingCommand r = h.call(RemotingCommand.request(RequestCode.GET_BROKER_RUNTIME_INFO));
        assertEquals(ResponseCode.SUCCESS, r.code());
        JsonNode t = Json.MAPPER.readTree(r.bodyBytes()).get("table");
        assertEquals("V4_9_7", t.get("brokerVersionDesc").asText());
        for (String k : new String[] {"msgPutTotalYesterdayMorning", "msgPutTotalTodayMorning", "msgPutTotalTodayNow",
            "msgGetTotalYesterdayMorning", "msgGetTotalTodayMorning", "msgGetTotalTodayNow",
            "sendThreadPoolQueueSize", "pullThreadPoolQueueSize", "sendThreadPoolQueueHeadWaitTimeMills",
            "pullThreadPoolQueueHeadWaitTimeMills", "pageCacheLockTimeMills", "earliestMessageTimeStamp",
            "brokerVersion", "bootTimestamp", "commitLogMaxOffset"}) {
            assertNotNull(t.get(k), k);
            Long.parseLong(t.get(k).asText());
        }
        assertEquals(1, Long.parseLong(t.get("msgPutTotalTodayNow").asText()));
        for (String k : new String[] {"putTps", "getTransferedTps"}) {
            String[] parts = t.get(k).asText().split(" ");
            assertEquals(3, parts.length, k);
            for (String p : parts) {
                Double.parseDouble(p);
            }
        }
        double ratio = Double.parseDouble(t.get("commitLogDiskRatio").asText());
        assertTrue(ratio >= 0 && ratio <= 1);

        RemotingCommand config = h.call(RemotingCommand.request(RequestCode.GET_BROKER_CONFIG));
        assertTrue(new String(config.bodyBytes(), StandardCharsets.UTF_8).contains("brokerName=broker-a"));
        assertNotNull(config.ext("version"));
    }

    @Test
    void consumerConnectionListAndGroups() throws Exception {
        RemotingCommand offline = h.call(RemotingCommand.request(RequestCode.GET_CONSUMER_CONNECTION_LIST)
                .put("consumerGroup", "CGC"));
        assertEquals(ResponseCode.CONSUMER_NOT_ONLINE, offline.code());

        h.call(RemotingCommand.request(RequestCode.HEART_BEAT).body(BrokerHarness.heartbeatBody("10.0.0.9@c", "CGC",
                "TopicC").getBytes(StandardCharsets.UTF_8)));
        RemotingCommand online = h.call(RemotingCommand.request(RequestCode.GET_CONSUMER_CONNECTION_LIST)
                .put("consumerGroup", "CGC"));
        assertEquals(ResponseCode.SUCCESS, online.code());
        JsonNode body = Json.MAPPER.readTree(online.bodyBytes());
        assertEquals("10.0.0.9@c", body.get("connectionSet").get(0).get("clientId").asText());
        assertEquals("JAVA", body.get("connectionSet").get(0).get("language").asText());
        assertEquals("CONSUME_PASSIVELY", body.get("consumeType").asText());
        assertEquals("CLUSTERING", body.get("messageModel").asText());
        assertTrue(body.get("subscriptionTable").has("TopicC"));

        RemotingCommand groups = h.call(RemotingCommand.request(RequestCode.GET_ALL_SUBSCRIPTIONGROUP_CONFIG));
        JsonNode g = Json.MAPPER.readTree(groups.bodyBytes()).get("subscriptionGroupTable").get("CGC");
        assertEquals(16, g.get("retryMaxTimes").asInt());
        assertEquals(1, g.get("retryQueueNums").asInt());

        RemotingCommand producers = h.call(RemotingCommand.request(RequestCode.GET_PRODUCER_CONNECTION_LIST)
                .put("producerGroup", "CLIENT_INNER_PRODUCER"));
        assertEquals(ResponseCode.SUCCESS, producers.code());
        assertFalse(Json.MAPPER.readTree(producers.bodyBytes()).get("connectionSet").isEmpty());
    }
}

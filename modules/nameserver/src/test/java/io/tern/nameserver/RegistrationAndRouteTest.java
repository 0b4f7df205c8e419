package io.tern.nameserver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tern.common.Json;
import io.tern.common.protocol.DataVersion;
import io.tern.common.protocol.TopicRouteData;
import io.tern.remoting.RemotingClient;
import io.tern.remoting.protocol.RemotingCommand;
import io.tern.remoting.protocol.RequestCode;
import io.tern.remoting.protocol.ResponseCode;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class RegistrationAndRouteTest extends NameServerTestBase {
    /** The REGISTER_BROKER body as encoded by the 4.9.7 library (spec 4.2.2). */
    static final String CAPTURED_BODY = "{\"filterServerList\":[],"
            + "\"topicConfigSerializeWrapper\":{\"dataVersion\":{\"counter\":0,\"timestamp\":1700000000000},"
            + "\"topicConfigTable\":{\"TopicTest\":{\"order\":false,\"perm\":6,\"readQueueNums\":4,"
            + "\"topicFilterType\":\"SINGLE_TAG\",\"topicName\":\"TopicTest\",\"topicSysFlag\":0,\"writeQueueNums\":4},"
            + "\"TBW102\":{\"order\":false,\"perm\":7,\"readQueueNums\":8,\"topicFilterType\":\"SINGLE_TAG\","
            + "\"topicName\":\"TBW102\",\"topicSysFlag\":0,\"writeQueueNums\":8}}}}";

    @Test
    void registeredTopicHasRouteWithMasterUnderKeyZero() throws Exception {
        RemotingCommand reg = call(registerRequest("broker-a", 0, "127.0.0.1:20911",
                CAPTURED_BODY.getBytes(StandardCharsets.UTF_8)));
        assertEquals(ResponseCode.SUCCESS, reg.code());
        assertNull(reg.ext("masterAddr"), "a master gets no master address");

        RemotingCommand route = route("TopicTest");
        assertEquals(ResponseCode.SUCCESS, route.code());
        JsonObject body = json(route);
        JsonObject broker = body.getJsonArray("brokerDatas").getJsonObject(0);
        assertEquals("127.0.0.1:20911", broker.getJsonObject("brokerAddrs").getString("0"));
        assertEquals("broker-a", broker.getString("brokerName"));
        assertEquals(CLUSTER, broker.getString("cluster"));
        JsonObject queues = body.getJsonArray("queueDatas").getJsonObject(0);
        assertEquals(new JsonObject().put("brokerName", "broker-a").put("perm", 6).put("readQueueNums", 4)
                .put("topicSysFlag", 0).put("writeQueueNums", 4), queues);
        assertEquals(new JsonObject(), body.getJsonObject("filterServerTable"));
        assertFalse(body.containsKey("orderTopicConf"));
    }

    @Test
    void unknownTopicIsTopicNotExistWithRemark() throws Exception {
        RemotingCommand route = route("NoSuchTopic");
        assertEquals(ResponseCode.TOPIC_NOT_EXIST, route.code());
        assertEquals("No topic route info in name server for the topic: NoSuchTopic", route.remark());
        assertNull(route.body());
    }

    @Test
    void defaultTopicRouteIsServedWhenBrokerRegisteredItWithPerm7() throws Exception {
        call(registerRequest("broker-a", 0, "127.0.0.1:20911", CAPTURED_BODY.getBytes(StandardCharsets.UTF_8)));
        TopicRouteData route = Json.fromBytes(route("TBW102").bodyBytes(), TopicRouteData.class);
        assertEquals(1, route.queueDatas.size());
        assertEquals(7, route.queueDatas.get(0).perm);
        assertEquals(8, route.queueDatas.get(0).writeQueueNums);
        assertEquals("127.0.0.1:20911", route.brokerDatas.get(0).brokerAddrs.get(0L));
    }

    @Test
    void topicTableFollowsDataVersionAndKeepsOmittedTopics() throws Exception {
        String broker = "127.0.0.1:20911";
        call(registerRequest("broker-a", 0, broker, body(1, topic("T1", 4, 6))));

        // same version: a changed table is ignored
        call(registerRequest("broker-a", 0, broker, body(1, topic("T1", 8, 6), topic("T2", 2, 6))));
        assertEquals(4, queueNums("T1"));
        assertEquals(ResponseCode.TOPIC_NOT_EXIST, route("T2").code());

        // new version: taken
        call(registerRequest("broker-a", 0, broker, body(2, topic("T1", 8, 6), topic("T2", 2, 6))));
        assertEquals(8, queueNums("T1"));
        assertEquals(2, queueNums("T2"));

        // a later registration omitting T1 does not remove it
        call(registerRequest("broker-a", 0, broker, body(3, topic("T2", 2, 6))));
        assertEquals(8, queueNums("T1"));

        RemotingCommand deleted = call(RemotingCommand.request(RequestCode.DELETE_TOPIC_IN_NAMESRV).put("topic", "T1"));
        assertEquals(ResponseCode.SUCCESS, deleted.code());
        assertEquals(ResponseCode.TOPIC_NOT_EXIST, route("T1").code());
        assertEquals(ResponseCode.SUCCESS, route("T2").code());
    }

    @Test
    void deleteTopicWithClusterRemovesOnlyThatClustersQueues() throws Exception {
        call(registerRequest("broker-a", 0, "127.0.0.1:20911", body(1, topic("T", 4, 6))));
        call(registerRequest("broker-b", 0, "127.0.0.1:30911", body(1, topic("T", 4, 6)))
                .put("clusterName", "OtherCluster"));
        call(RemotingCommand.request(RequestCode.DELETE_TOPIC_IN_NAMESRV).put("topic", "T")
                .put("clusterName", "OtherCluster"));
        TopicRouteData route = Json.fromBytes(route("T").bodyBytes(), TopicRouteData.class);
        assertEquals(1, route.queueDatas.size());
        assertEquals("broker-a", route.queueDatas.get(0).brokerName);
    }

    @Test
    void slaveRegistrationIsAnsweredWithMasterAndHaAddressAndListedInRoute() throws Exception {
        call(registerRequest("broker-a", 0, "127.0.0.1:20911", body(1, topic("T", 4, 6))));
        // the slave's topic table is ignored: only masters define queue data
        RemotingCommand slave = call(registerRequest("broker-a", 1, "127.0.0.1:21911",
                body(5, topic("T", 16, 6), topic("SlaveOnly", 1, 6))));
        assertEquals(ResponseCode.SUCCESS, slave.code());
        assertEquals("127.0.0.1:20911", slave.ext("masterAddr"));
        assertEquals("127.0.0.1:20912", slave.ext("haServerAddr"));

        JsonObject body = json(route("T"));
        JsonObject addrs = body.getJsonArray("brokerDatas").getJsonObject(0).getJsonObject("brokerAddrs");
        assertEquals("127.0.0.1:20911", addrs.getString("0"));
        assertEquals("127.0.0.1:21911", addrs.getString("1"));
        assertEquals(4, body.getJsonArray("queueDatas").getJsonObject(0).getInteger("writeQueueNums"));
        assertEquals(ResponseCode.TOPIC_NOT_EXIST, route("SlaveOnly").code());
    }

    @Test
    void unregisterRemovesTheBrokerAndItsQueues() throws Exception {
        call(registerRequest("broker-a", 0, "127.0.0.1:20911", body(1, topic("T", 4, 6))));
        RemotingCommand unregister = call(RemotingCommand.request(RequestCode.UNREGISTER_BROKER)
                .put("brokerName", "broker-a").put("brokerAddr", "127.0.0.1:20911")
                .put("clusterName", CLUSTER).put("brokerId", 0));
        assertEquals(ResponseCode.SUCCESS, unregister.code());
        assertEquals(ResponseCode.TOPIC_NOT_EXIST, route("T").code());
        JsonObject cluster = json(call(RemotingCommand.request(RequestCode.GET_BROKER_CLUSTER_INFO)));
        assertTrue(cluster.getJsonObject("brokerAddrTable").isEmpty());
        assertTrue(cluster.getJsonObject("clusterAddrTable").isEmpty());
    }

    @Test
    void compressedRegistrationBodyDecodes() throws Exception {
        byte[] compressed = CompressedBodies.encode(7, "FromZip 3 5 6 SINGLE_TAG", "TBW102 8 8 7 SINGLE_TAG");
        RemotingCommand reg = call(registerRequest("broker-a", 0, "127.0.0.1:20911", compressed)
                .put("compressed", true)
                .put("bodyCrc32", CompressedBodies.crc32(compressed)));
        assertEquals(ResponseCode.SUCCESS, reg.code(), reg.remark());
        JsonArray queues = json(route("FromZip")).getJsonArray("queueDatas");
        assertEquals(3, queues.getJsonObject(0).getInteger("readQueueNums"));
        assertEquals(5, queues.getJsonObject(0).getInteger("writeQueueNums"));
        assertEquals(7, json(route("TBW102")).getJsonArray("queueDatas").getJsonObject(0).getInteger("perm"));
    }

    @Test
    void bodyCrc32MismatchIsRefused() throws Exception {
        byte[] body = body(1, topic("T", 4, 6));
        RemotingCommand reg = call(registerRequest("broker-a", 0, "127.0.0.1:20911", body)
                .put("bodyCrc32", CompressedBodies.crc32(body) ^ 1));
        assertEquals(ResponseCode.SYSTEM_ERROR, reg.code());
        assertEquals("crc32 not match", reg.remark());
        assertEquals(ResponseCode.TOPIC_NOT_EXIST, route("T").code());
    }

    @Test
    void malformedRegistrationBodyIsSystemErrorAndServerStaysUp() throws Exception {
        RemotingCommand garbage = call(registerRequest("broker-a", 0, "127.0.0.1:20911",
                "{not json at all".getBytes(StandardCharsets.UTF_8)));
        assertEquals(ResponseCode.SYSTEM_ERROR, garbage.code());
        assertNotNull(garbage.remark());
        assertTrue(garbage.remark().startsWith("Failed to decode RegisterBrokerBody"), garbage.remark());

        RemotingCommand badZip = call(registerRequest("broker-a", 0, "127.0.0.1:20911", new byte[] {1, 2, 3})
                .put("compressed", true));
        assertEquals(ResponseCode.SYSTEM_ERROR, badZip.code());

        RemotingCommand missingHeader = call(RemotingCommand.request(RequestCode.REGISTER_BROKER)
                .put("brokerName", "broker-a"));
        assertEquals(ResponseCode.SYSTEM_ERROR, missingHeader.code());

        // still serving, and nothing half-registered
        assertEquals(ResponseCode.SUCCESS, call(registerRequest("broker-a", 0, "127.0.0.1:20911",
                body(1, topic("T", 4, 6)))).code());
        assertEquals(ResponseCode.SUCCESS, route("T").code());
    }

    @Test
    void queryDataVersionTellsWhetherTheTopicTableChanged() throws Exception {
        call(registerRequest("broker-a", 0, "127.0.0.1:20911", body(4, topic("T", 4, 6))));
        DataVersion same = new DataVersion();
        same.counter = 4;
        same.timestamp = 1_700_000_000_000L;
        RemotingCommand unchanged = call(queryDataVersion(same));
        assertEquals(ResponseCode.SUCCESS, unchanged.code());
        assertEquals("false", unchanged.ext("changed"));
        assertEquals(4, Json.fromBytes(unchanged.bodyBytes(), DataVersion.class).counter);

        same.counter = 5;
        assertEquals("true", call(queryDataVersion(same)).ext("changed"));
    }

    @Test
    void eachBrokerRegistersOverItsOwnConnection() throws Exception {
        RemotingClient brokerA = newClient();
        RemotingClient brokerB = newClient();
        call(brokerA, registerRequest("broker-a", 0, "127.0.0.1:20911", body(1, topic("T", 4, 6))));
        call(brokerB, registerRequest("broker-b", 0, "127.0.0.1:30911", body(1, topic("T", 2, 6))));
        TopicRouteData route = Json.fromBytes(route("T").bodyBytes(), TopicRouteData.class);
        assertEquals(2, route.queueDatas.size());
        assertEquals(2, route.brokerDatas.size());
    }

    private RemotingCommand queryDataVersion(DataVersion version) {
        return RemotingCommand.request(RequestCode.QUERY_DATA_VERSION)
                .put("brokerName", "broker-a").put("brokerAddr", "127.0.0.1:20911")
                .put("clusterName", CLUSTER).put("brokerId", 0)
                .body(Json.toBytes(version));
    }

    private int queueNums(String topic) throws Exception {
        RemotingCommand r = route(topic);
        assertEquals(ResponseCode.SUCCESS, r.code(), topic);
        return json(r).getJsonArray("queueDatas").getJsonObject(0).getInteger("writeQueueNums");
    }
}

package io.tern.nameserver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tern.common.protocol.TopicConfig;
import io.tern.remoting.protocol.RemotingCommand;
import io.tern.remoting.protocol.RequestCode;
import io.tern.remoting.protocol.ResponseCode;
import io.tern.remoting.protocol.SerializeType;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.util.Properties;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The calls mqadmin makes to a nameserver. */
class AdminCallsTest extends NameServerTestBase {
    @BeforeEach
    void registerTwoBrokers() throws Exception {
        call(registerRequest("broker-a", 0, "127.0.0.1:20911",
                body(1, topic("TBW102", 8, 7), topic("T", 4, 6), topic("broker-a", 1, 7))));
        call(registerRequest("broker-b", 0, "127.0.0.1:30911", body(1, topic("Other", 2, 6)))
                .put("clusterName", "OtherCluster"));
    }

    @Test
    void clusterInfoListsBrokersByCluster() throws Exception {
        RemotingCommand response = call(RemotingCommand.request(RequestCode.GET_BROKER_CLUSTER_INFO));
        assertEquals(ResponseCode.SUCCESS, response.code());
        JsonObject info = json(response);
        assertEquals(new JsonArray().add("broker-a"), info.getJsonObject("clusterAddrTable").getJsonArray(CLUSTER));
        assertEquals(new JsonArray().add("broker-b"), info.getJsonObject("clusterAddrTable").getJsonArray("OtherCluster"));
        JsonObject brokerA = info.getJsonObject("brokerAddrTable").getJsonObject("broker-a");
        assertEquals("127.0.0.1:20911", brokerA.getJsonObject("brokerAddrs").getString("0"));
        assertEquals(CLUSTER, brokerA.getString("cluster"));
    }

    @Test
    void topicListsCoverAllClustersAndSystemNames() throws Exception {
        assertEquals(new JsonArray().add("Other").add("T").add("TBW102").add("broker-a"),
                json(call(RemotingCommand.request(RequestCode.GET_ALL_TOPIC_LIST_FROM_NAMESERVER)))
                        .getJsonArray("topicList"));
        assertEquals(new JsonArray().add("Other"), json(call(RemotingCommand.request(RequestCode.GET_TOPICS_BY_CLUSTER)
                .put("cluster", "OtherCluster"))).getJsonArray("topicList"));
        JsonObject system = json(call(RemotingCommand.request(RequestCode.GET_SYSTEM_TOPIC_LIST_FROM_NS)));
        assertEquals(new JsonArray().add(CLUSTER).add("OtherCluster").add("broker-a").add("broker-b"),
                system.getJsonArray("topicList"));
        assertNotNull(system.getString("brokerAddr"));
    }

    @Test
    void unitTopicListsFilterByTopicSysFlag() throws Exception {
        TopicConfig unit = topic("Unit", 1, 6);
        unit.topicSysFlag = 1;
        TopicConfig unitSub = topic("UnitSub", 1, 6);
        unitSub.topicSysFlag = 2;
        TopicConfig both = topic("Both", 1, 6);
        both.topicSysFlag = 3;
        call(registerRequest("broker-a", 0, "127.0.0.1:20911", body(2, unit, unitSub, both)));
        assertEquals(new JsonArray().add("Both").add("Unit"), topicList(RequestCode.GET_UNIT_TOPIC_LIST));
        assertEquals(new JsonArray().add("Both").add("UnitSub"), topicList(RequestCode.GET_HAS_UNIT_SUB_TOPIC_LIST));
        assertEquals(new JsonArray().add("UnitSub"), topicList(RequestCode.GET_HAS_UNIT_SUB_UNUNIT_TOPIC_LIST));
    }

    @Test
    void wipeAndAddWritePermissionOfABroker() throws Exception {
        RemotingCommand wiped = call(RemotingCommand.request(RequestCode.WIPE_WRITE_PERM_OF_BROKER)
                .put("brokerName", "broker-a"));
        assertEquals(ResponseCode.SUCCESS, wiped.code());
        assertEquals("3", wiped.ext("wipeTopicCount"));
        assertEquals(4, perm("T"));
        assertEquals(5, perm("TBW102"));
        assertEquals(6, perm("Other"), "other brokers keep theirs");

        RemotingCommand added = call(RemotingCommand.request(RequestCode.ADD_WRITE_PERM_OF_BROKER)
                .put("brokerName", "broker-a"));
        assertEquals("3", added.ext("addTopicCount"));
        assertEquals(6, perm("T"));
        assertEquals(7, perm("TBW102"));
    }

    @Test
    void binaryCodecRequestGetsBinaryResponse() throws Exception {
        RemotingCommand response = call(RemotingCommand.request(RequestCode.GET_ROUTEINFO_BY_TOPIC)
                .put("topic", "T").serializeType(SerializeType.ROCKETMQ));
        assertEquals(ResponseCode.SUCCESS, response.code());
        assertEquals(SerializeType.ROCKETMQ, response.serializeType());
        assertEquals(4, json(response).getJsonArray("queueDatas").getJsonObject(0).getInteger("readQueueNums"));

        RemotingCommand notFound = call(RemotingCommand.request(RequestCode.GET_ROUTEINFO_BY_TOPIC)
                .put("topic", "Nope").serializeType(SerializeType.ROCKETMQ));
        assertEquals(ResponseCode.TOPIC_NOT_EXIST, notFound.code());
        assertEquals(SerializeType.ROCKETMQ, notFound.serializeType());
    }

    @Test
    void unknownCodeIsAnsweredRequestCodeNotSupported() throws Exception {
        assertEquals(ResponseCode.REQUEST_CODE_NOT_SUPPORTED, call(RemotingCommand.request(904)).code());
        assertEquals(ResponseCode.SUCCESS, route("T").code());
    }

    @Test
    void namesrvConfigIsReadAndUpdatedAsProperties() throws Exception {
        Properties before = properties(call(RemotingCommand.request(RequestCode.GET_NAMESRV_CONFIG)));
        assertEquals("120000", before.getProperty("brokerExpiryMs"));
        assertEquals("false", before.getProperty("orderMessageEnable"));
        assertEquals(config.kvConfigPath, before.getProperty("kvConfigPath"));

        RemotingCommand update = call(RemotingCommand.request(RequestCode.UPDATE_NAMESRV_CONFIG)
                .body("orderMessageEnable=true\nbrokerExpiryMs=90000\n".getBytes(StandardCharsets.UTF_8)));
        assertEquals(ResponseCode.SUCCESS, update.code());
        Properties after = properties(call(RemotingCommand.request(RequestCode.GET_NAMESRV_CONFIG)));
        assertEquals("true", after.getProperty("orderMessageEnable"));
        assertEquals("90000", after.getProperty("brokerExpiryMs"));

        RemotingCommand refused = call(RemotingCommand.request(RequestCode.UPDATE_NAMESRV_CONFIG)
                .body("kvConfigPath=/tmp/elsewhere\n".getBytes(StandardCharsets.UTF_8)));
        assertEquals(ResponseCode.NO_PERMISSION, refused.code());
        assertEquals("Can not update config in black list.", refused.remark());

        RemotingCommand badValue = call(RemotingCommand.request(RequestCode.UPDATE_NAMESRV_CONFIG)
                .body("orderMessageEnable=false\nbrokerExpiryMs=soon\n".getBytes(StandardCharsets.UTF_8)));
        assertEquals(ResponseCode.SYSTEM_ERROR, badValue.code());
        assertTrue(config.orderMessageEnable, "a rejected update changes nothing");
    }

    private JsonArray topicList(int code) throws Exception {
        RemotingCommand response = call(RemotingCommand.request(code));
        assertEquals(ResponseCode.SUCCESS, response.code());
        return json(response).getJsonArray("topicList");
    }

    private int perm(String topic) throws Exception {
        return json(route(topic)).getJsonArray("queueDatas").getJsonObject(0).getInteger("perm");
    }

    private static Properties properties(RemotingCommand response) throws Exception {
        assertEquals(ResponseCode.SUCCESS, response.code());
        Properties p = new Properties();
        p.load(new StringReader(response.body().toString(StandardCharsets.UTF_8)));
        assertTrue(p.containsKey("listenPort"));
        return p;
    }
}

package io.tern.nameserver;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tern.remoting.protocol.RemotingCommand;
import io.tern.remoting.protocol.ResponseCode;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Registration bodies of other broker generations than the 4.9 JSON form. */
class RegisterBodyCompatibilityTest extends NameServerTestBase {
    @Test
    void fiveXBodyWithExtraFieldsIsAccepted() throws Exception {
        String body = "{\"filterServerList\":[],\"topicConfigSerializeWrapper\":{"
                + "\"dataVersion\":{\"counter\":2,\"stateVersion\":0,\"timestamp\":1700000000000},"
                + "\"mappingDataVersion\":{\"counter\":0,\"stateVersion\":0,\"timestamp\":1700000000000},"
                + "\"topicQueueMappingInfoMap\":{},\"topicQueueMappingDetailMap\":{},"
                + "\"topicConfigTable\":{\"Five\":{\"attributes\":{\"+message.type\":\"NORMAL\"},\"order\":false,"
                + "\"perm\":6,\"readQueueNums\":2,\"topicFilterType\":\"SINGLE_TAG\",\"topicName\":\"Five\","
                + "\"topicSysFlag\":0,\"writeQueueNums\":2}}}}";
        RemotingCommand reg = call(registerRequest("broker-a", 0, "127.0.0.1:20911",
                body.getBytes(StandardCharsets.UTF_8)).put("enableActingMaster", false).version(479));
        assertEquals(ResponseCode.SUCCESS, reg.code(), reg.remark());
        assertEquals(2, json(route("Five")).getJsonArray("queueDatas").getJsonObject(0).getInteger("readQueueNums"));
    }

    @Test
    void fiveXCompressedTopicTextWithAttributesDecodes() throws Exception {
        byte[] compressed = CompressedBodies.encode(1, "Attr 2 3 6 SINGLE_TAG {\"+message.type\":\"FIFO\"}");
        RemotingCommand reg = call(registerRequest("broker-a", 0, "127.0.0.1:20911", compressed)
                .put("compressed", true));
        assertEquals(ResponseCode.SUCCESS, reg.code(), reg.remark());
        JsonObject queues = json(route("Attr")).getJsonArray("queueDatas").getJsonObject(0);
        assertEquals(3, queues.getInteger("writeQueueNums"));
    }

    @Test
    void preV3011BrokerSendsABareTopicConfigWrapper() throws Exception {
        String body = "{\"dataVersion\":{\"counter\":1,\"timestamp\":1},\"topicConfigTable\":{\"Old\":"
                + "{\"perm\":6,\"readQueueNums\":1,\"topicName\":\"Old\",\"writeQueueNums\":1}}}";
        RemotingCommand reg = call(registerRequest("broker-a", 0, "127.0.0.1:20911",
                body.getBytes(StandardCharsets.UTF_8)).version(36));
        assertEquals(ResponseCode.SUCCESS, reg.code(), reg.remark());
        assertEquals(ResponseCode.SUCCESS, route("Old").code());
    }

    @Test
    void registrationWithoutBodyRegistersTheBrokerWithoutTopics() throws Exception {
        RemotingCommand reg = call(registerRequest("broker-a", 0, "127.0.0.1:20911", null));
        assertEquals(ResponseCode.SUCCESS, reg.code(), reg.remark());
        JsonObject cluster = json(call(RemotingCommand.request(io.tern.remoting.protocol.RequestCode
                .GET_BROKER_CLUSTER_INFO)));
        assertEquals("127.0.0.1:20911", cluster.getJsonObject("brokerAddrTable").getJsonObject("broker-a")
                .getJsonObject("brokerAddrs").getString("0"));
    }
}

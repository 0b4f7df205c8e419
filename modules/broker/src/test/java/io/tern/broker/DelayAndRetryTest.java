package io.tern.broker;

import static io.tern.broker.BrokerHarness.props;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tern.common.message.MessageIds;
import io.tern.remoting.protocol.RemotingCommand;
import io.tern.remoting.protocol.RequestCode;
import io.tern.remoting.protocol.ResponseCode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DelayAndRetryTest {
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

    private StoredMessage longPoll(String group, String topic, int queueId) throws Exception {
        RemotingCommand resp = h.callAsync(BrokerHarness.pull(group, topic, queueId, 0, "*", 15_000), 30_000)
                .await(20, TimeUnit.SECONDS);
        assertEquals(ResponseCode.SUCCESS, resp.code(), resp.remark());
        return StoredMessage.decodeAll(resp.bodyBytes()).get(0);
    }

    @Test
    void delayedMessageIsDeliveredToItsRealTopic() throws Exception {
        assertEquals(ResponseCode.SUCCESS, h.call(BrokerHarness.sendV2("TDL", 1, "delayed", props("DELAY", "1",
                "TAGS", "T1"))).code());
        StoredMessage m = longPoll("G", "TDL", 1);
        assertEquals("delayed", m.bodyString());
        assertEquals("TDL", m.topic());
        assertEquals(1, m.queueId());
        assertEquals("T1", m.properties().get("TAGS"));
        assertTrue(m.storeTimestamp() - m.bornTimestamp() >= 900, "delivered about a second later");

        h.restartBroker();
        RemotingCommand delayOffsets = h.call(RemotingCommand.request(RequestCode.GET_ALL_DELAY_OFFSET));
        assertTrue(new String(delayOffsets.bodyBytes(), StandardCharsets.UTF_8).contains("\"1\":1"),
                "level offset persisted: " + new String(delayOffsets.bodyBytes(), StandardCharsets.UTF_8));
    }

    @Test
    void sendBackGoesToRetryThenDlq() throws Exception {
        RemotingCommand sent = h.call(BrokerHarness.sendV2("TSB", 0, "fails", props("TAGS", "x", "UNIQ_KEY", "U9")));
        long offset = MessageIds.physicalOffset(sent.ext("msgId"));
        heartbeat("CGR", "TSB");
        RemotingCommand back = RemotingCommand.request(RequestCode.CONSUMER_SEND_MSG_BACK).put("offset", offset)
                .put("group", "CGR").put("delayLevel", 1).put("originMsgId", "U9").put("originTopic", "TSB")
                .put("maxReconsumeTimes", 16);
        assertEquals(ResponseCode.SUCCESS, h.call(back).code());
        StoredMessage retry = longPoll("CGR", "%RETRY%CGR", 0);
        assertEquals("fails", retry.bodyString());
        assertEquals(1, retry.reconsumeTimes());
        assertEquals("TSB", retry.properties().get("RETRY_TOPIC"));
        assertEquals(sent.ext("msgId"), retry.properties().get("ORIGIN_MESSAGE_ID"));
        assertEquals("U9", retry.properties().get("UNIQ_KEY"));

        RemotingCommand toDlq = RemotingCommand.request(RequestCode.CONSUMER_SEND_MSG_BACK).put("offset", offset)
                .put("group", "CGR").put("delayLevel", -1);
        assertEquals(ResponseCode.SUCCESS, h.call(toDlq).code());
        RemotingCommand dlq = h.call(BrokerHarness.pull("CGR", "%DLQ%CGR", 0, 0, "*", 0));
        assertEquals(ResponseCode.SUCCESS, dlq.code(), dlq.remark());
        assertEquals("fails", StoredMessage.decodeAll(dlq.bodyBytes()).get(0).bodyString());

        RemotingCommand missing = RemotingCommand.request(RequestCode.CONSUMER_SEND_MSG_BACK).put("offset", 987_654)
                .put("group", "CGR").put("delayLevel", 0);
        assertEquals(ResponseCode.SYSTEM_ERROR, h.call(missing).code());
    }

    @Test
    void retryTopicSendAtMaxReconsumeGoesToDlq() throws Exception {
        heartbeat("CGD", "TSD");
        RemotingCommand send = BrokerHarness.sendV2("%RETRY%CGD", 0, "dead", props()).put("j", 3).put("l", 3);
        RemotingCommand r = h.call(send);
        assertEquals(ResponseCode.SUCCESS, r.code(), r.remark());
        RemotingCommand dlq = h.call(BrokerHarness.pull("CGD", "%DLQ%CGD", 0, 0, "*", 0));
        assertEquals(ResponseCode.SUCCESS, dlq.code(), dlq.remark());
    }

    private void heartbeat(String group, String topic) throws Exception {
        assertEquals(ResponseCode.SUCCESS, h.call(RemotingCommand.request(RequestCode.HEART_BEAT)
                .body(BrokerHarness.heartbeatBody("10.1.1.1@x", group, topic).getBytes(StandardCharsets.UTF_8)))
                .code());
    }
}

package io.tern.broker;

import static io.tern.broker.BrokerHarness.props;
import static io.tern.broker.ScheduleMessageTest.pullUntilFound;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tern.broker.message.StoredRecord;
import io.tern.common.message.MessageIds;
import io.tern.common.message.StoredRecordLayout;
import io.tern.remoting.protocol.RemotingCommand;
import io.tern.remoting.protocol.RequestCode;
import io.tern.remoting.protocol.ResponseCode;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * CONSUMER_SEND_MSG_BACK (36), spec 3.4.6 and 7.2 step 12: the requests a 4.9 push consumer sends when its
 * listener returns RECONSUME_LATER, and what it then pulls from %RETRY%/%DLQ%.
 */
class SendMessageBackTest {
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

    /** What the 4.9.7 client sends (captured in spec 3.4.6). */
    static RemotingCommand sendBack(long offset, String group, int delayLevel, String originMsgId, String topic,
                                    int maxReconsumeTimes) {
        return RemotingCommand.request(RequestCode.CONSUMER_SEND_MSG_BACK)
                .put("offset", offset).put("group", group).put("delayLevel", delayLevel)
                .put("originMsgId", originMsgId).put("originTopic", topic).put("unitMode", false)
                .put("maxReconsumeTimes", maxReconsumeTimes).put("bname", "broker-a");
    }

    private StoredMessage sendAndPull(String topic, String body) throws Exception {
        RemotingCommand sent = h.call(BrokerHarness.sendV2(topic, 0, body,
                props("UNIQ_KEY", "U-" + body, "TAGS", "tg", "KEYS", "key-" + body)));
        assertEquals(ResponseCode.SUCCESS, sent.code(), sent.remark());
        List<StoredMessage> pulled = StoredMessage.decodeAll(
                h.call(BrokerHarness.pull("CG", topic, 0, 0, "*", 0)).bodyBytes());
        return pulled.get(0);
    }

    private static String offsetId(StoredMessage m) {
        return MessageIds.offsetMsgId(m.storeHost(), m.storePort(), m.physicalOffset());
    }

    @Test
    void failedMessageComesBackThroughTheRetryTopicAfterLevelThree() throws Exception {
        StoredMessage original = sendAndPull("RT", "retry-me");
        RemotingCommand back = h.call(sendBack(original.physicalOffset(), "CG", 0, "U-retry-me", "RT", 16));
        assertEquals(ResponseCode.SUCCESS, back.code(), back.remark());

        // level 3 + reconsumeTimes(0) = SCHEDULE_TOPIC_XXXX queue 2, destined for %RETRY%CG
        List<StoredMessage> scheduled = StoredMessage.decodeAll(
                h.call(BrokerHarness.pull("X", "SCHEDULE_TOPIC_XXXX", 2, 0, "*", 0)).bodyBytes());
        assertEquals(1, scheduled.size());
        assertEquals("%RETRY%CG", scheduled.get(0).properties().get("REAL_TOPIC"));
        assertEquals("3", scheduled.get(0).properties().get("DELAY"));
        RemotingCommand early = h.call(BrokerHarness.pull("CG", "%RETRY%CG", 0, 0, "*", 0));
        long dueMs = scheduled.get(0).storeTimestamp() + 10_000;
        if (early.code() == ResponseCode.SUCCESS) {
            assertTrue(System.currentTimeMillis() >= dueMs, "not redelivered before its 10 s delay");
        }

        StoredMessage retried = pullUntilFound(h, "CG", "%RETRY%CG", 0, 0).get(0);
        assertTrue(retried.storeTimestamp() >= dueMs, "stored in %RETRY% no earlier than level 3 (10 s)");
        assertEquals("retry-me", retried.bodyString());
        assertEquals(1, retried.reconsumeTimes());
        assertEquals("%RETRY%CG", retried.topic());
        assertEquals("RT", retried.properties().get("RETRY_TOPIC"));
        assertEquals(offsetId(original), retried.properties().get("ORIGIN_MESSAGE_ID"));
        assertEquals("U-retry-me", retried.properties().get("UNIQ_KEY"));
        assertEquals("false", retried.properties().get("WAIT"));
        assertEquals("tg", retried.properties().get("TAGS"));
        assertEquals(original.bornTimestamp(), retried.bornTimestamp());
    }

    @Test
    void aGroupNameLongerThan120CharactersGetsItsRetryInTheV2Layout() throws Exception {
        // like the 5.x broker: %RETRY% topics may pass 127 bytes (up to 255) and are stored with MAGIC v2
        String group = "G" + "x".repeat(149);
        String retryTopic = "%RETRY%" + group;
        StoredMessage original = sendAndPull("LRT", "long-group");
        RemotingCommand back = h.call(sendBack(original.physicalOffset(), group, 1, "U-long-group", "LRT", 16));
        assertEquals(ResponseCode.SUCCESS, back.code(), back.remark());

        StoredMessage retried = pullUntilFound(h, group, retryTopic, 0, 0).get(0);
        assertEquals(retryTopic, retried.topic());
        assertEquals("long-group", retried.bodyString());
        assertEquals("key-long-group", retried.properties().get("KEYS"));
        ByteBuffer record = h.broker.components().store().messageAt(retried.physicalOffset());
        assertEquals(StoredRecordLayout.MAGIC_V2, record.getInt(StoredRecordLayout.MAGIC_OFFSET));
        StoredRecord decoded = StoredRecord.decode(record);
        assertEquals(retryTopic, decoded.topic());
        assertEquals(1, decoded.reconsumeTimes());
        RemotingCommand byKey = h.call(QueryMessageTest.query(retryTopic, "key-long-group", 32, false));
        assertEquals(ResponseCode.SUCCESS, byKey.code(), byKey.remark());
        assertEquals(retryTopic, StoredMessage.decodeAll(byKey.bodyBytes()).get(0).topic());
    }

    @Test
    void exhaustedRetriesGoToTheDeadLetterQueue() throws Exception {
        StoredMessage original = sendAndPull("DLT", "poison");
        // an explicit level 1 (1 s) keeps the test short; the client's maxReconsumeTimes=1 decides the DLQ
        assertEquals(ResponseCode.SUCCESS,
                h.call(sendBack(original.physicalOffset(), "CG", 1, "U-poison", "DLT", 1)).code());
        StoredMessage retried = pullUntilFound(h, "CG", "%RETRY%CG", 0, 0).get(0);
        assertEquals(1, retried.reconsumeTimes());

        RemotingCommand again = h.call(sendBack(retried.physicalOffset(), "CG", 0, "U-poison", "DLT", 1));
        assertEquals(ResponseCode.SUCCESS, again.code(), again.remark());
        assertNotNull(h.broker.components().topics().get("%DLQ%CG"));
        assertEquals(1, h.broker.components().topics().get("%DLQ%CG").writeQueueNums);
        List<StoredMessage> dead = StoredMessage.decodeAll(
                h.call(BrokerHarness.pull("X", "%DLQ%CG", 0, 0, "*", 0)).bodyBytes());
        assertEquals(1, dead.size());
        assertEquals("poison", dead.get(0).bodyString());
        assertEquals(2, dead.get(0).reconsumeTimes());
        assertEquals("DLT", dead.get(0).properties().get("RETRY_TOPIC"));
        assertEquals(offsetId(original), dead.get(0).properties().get("ORIGIN_MESSAGE_ID"));
    }

    @Test
    void negativeDelayLevelGoesStraightToTheDeadLetterQueue() throws Exception {
        StoredMessage original = sendAndPull("NT", "direct");
        assertEquals(ResponseCode.SUCCESS,
                h.call(sendBack(original.physicalOffset(), "CG2", -1, "U-direct", "NT", 16)).code());
        List<StoredMessage> dead = StoredMessage.decodeAll(
                h.call(BrokerHarness.pull("X", "%DLQ%CG2", 0, 0, "*", 0)).bodyBytes());
        assertEquals(1, dead.size());
        assertEquals(1, dead.get(0).reconsumeTimes());
    }

    @Test
    void unknownOffsetIsASystemError() throws Exception {
        RemotingCommand r = h.call(sendBack(1_000_000, "CG", 0, "x", "T", 16));
        assertEquals(ResponseCode.SYSTEM_ERROR, r.code());
    }
}

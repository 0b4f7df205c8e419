package io.tern.broker;

import static io.tern.broker.BrokerHarness.props;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tern.common.message.MessageIds;
import io.tern.remoting.protocol.RemotingCommand;
import io.tern.remoting.protocol.RequestCode;
import io.tern.remoting.protocol.ResponseCode;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** QUERY_MESSAGE (12) and VIEW_MESSAGE_BY_ID (33), spec 3.6: limits, topic separation, unique keys, view. */
class QueryMessageTest {
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

    static RemotingCommand query(String topic, String key, int maxNum, boolean unique) {
        return RemotingCommand.request(RequestCode.QUERY_MESSAGE)
                .put("topic", topic).put("key", key).put("maxNum", maxNum).put("beginTimestamp", 0)
                .put("endTimestamp", Long.MAX_VALUE).put("_UNIQUE_KEY_QUERY", String.valueOf(unique));
    }

    @Test
    void keyAndUniqueKeyQueriesFindStoredMessages() throws Exception {
        for (int i = 0; i < 3; i++) {
            RemotingCommand r = h.call(BrokerHarness.sendV2("QT", 0, "body" + i,
                    props("KEYS", "order-1 k" + i, "UNIQ_KEY", "UNIQ" + i, "TAGS", "A")));
            assertEquals(ResponseCode.SUCCESS, r.code(), r.remark());
        }
        h.call(BrokerHarness.sendV2("OtherTopic", 0, "other", props("KEYS", "order-1", "UNIQ_KEY", "UNIQX")));

        RemotingCommand byKey = h.call(query("QT", "order-1", 32, false));
        assertEquals(ResponseCode.SUCCESS, byKey.code(), byKey.remark());
        List<StoredMessage> found = StoredMessage.decodeAll(byKey.bodyBytes());
        assertEquals(3, found.size());
        assertTrue(found.stream().allMatch(m -> m.topic().equals("QT")));
        assertTrue(Long.parseLong(byKey.ext("indexLastUpdateTimestamp")) > 0);
        assertTrue(Long.parseLong(byKey.ext("indexLastUpdatePhyoffset")) >= 0);

        RemotingCommand limited = h.call(query("QT", "order-1", 2, false));
        assertEquals(2, StoredMessage.decodeAll(limited.bodyBytes()).size());

        // a unique-key query ignores the client's maxNum (the broker uses defaultQueryMaxNum)
        RemotingCommand byUniq = h.call(query("QT", "UNIQ1", 0, true));
        assertEquals(ResponseCode.SUCCESS, byUniq.code(), byUniq.remark());
        List<StoredMessage> uniq = StoredMessage.decodeAll(byUniq.bodyBytes());
        assertEquals(1, uniq.size());
        assertEquals("body1", uniq.get(0).bodyString());
    }

    /** The index takes KEYS and UNIQ_KEY from the properties the send parsed once, on every path that stores. */
    @Test
    void batchRecordsAndDelayedMessagesAreIndexedByTheirOwnKeys() throws Exception {
        RemotingCommand batch = h.call(BrokerHarness.sendBatch("BQ", 0, props("WAIT", "true", "UNIQ_KEY", "BATCH"),
                List.of("one", "two"), List.of(props("KEYS", "bk1 shared", "UNIQ_KEY", "BU1"),
                        props("KEYS", "bk2 shared", "UNIQ_KEY", "BU2"))));
        assertEquals(ResponseCode.SUCCESS, batch.code(), batch.remark());
        assertEquals("two", StoredMessage.decodeAll(h.call(query("BQ", "bk2", 32, false)).bodyBytes()).get(0)
                .bodyString());
        assertEquals("one", StoredMessage.decodeAll(h.call(query("BQ", "BU1", 32, true)).bodyBytes()).get(0)
                .bodyString());
        assertEquals(2, StoredMessage.decodeAll(h.call(query("BQ", "shared", 32, false)).bodyBytes()).size());
        assertEquals(ResponseCode.QUERY_NOT_FOUND, h.call(query("BQ", "BATCH", 32, true)).code(),
                "the batch-level UNIQ_KEY is no record's key");

        RemotingCommand delayed = h.call(BrokerHarness.sendV2("DQ", 0, "later",
                props("DELAY", "1", "KEYS", "dk1", "UNIQ_KEY", "DU1")));
        assertEquals(ResponseCode.SUCCESS, delayed.code(), delayed.remark());
        assertEquals("DQ", StoredMessage.decodeAll(h.call(query("SCHEDULE_TOPIC_XXXX", "dk1", 32, false))
                .bodyBytes()).get(0).properties().get("REAL_TOPIC"));
        ScheduleMessageTest.pullUntilFound(h, "G", "DQ", 0, 0);
        List<StoredMessage> delivered = StoredMessage.decodeAll(h.call(query("DQ", "dk1", 32, false)).bodyBytes());
        assertEquals(1, delivered.size());
        assertEquals("later", delivered.get(0).bodyString());
        assertEquals(1, StoredMessage.decodeAll(h.call(query("DQ", "DU1", 32, true)).bodyBytes()).size());
    }

    @Test
    void viewByOffsetReturnsExactlyOneRecordWithoutExtFields() throws Exception {
        h.call(BrokerHarness.sendV2("VT", 0, "first", props("UNIQ_KEY", "U0")));
        RemotingCommand sent = h.call(BrokerHarness.sendV2("VT", 0, "second", props("UNIQ_KEY", "U1")));
        long offset = MessageIds.physicalOffset(sent.ext("msgId"));

        RemotingCommand view = h.call(RemotingCommand.request(RequestCode.VIEW_MESSAGE_BY_ID).put("offset", offset));
        assertEquals(ResponseCode.SUCCESS, view.code(), view.remark());
        assertTrue(view.extFields() == null || view.extFields().isEmpty(), "no ext fields: " + view.extFields());
        List<StoredMessage> msgs = StoredMessage.decodeAll(view.bodyBytes());
        assertEquals(1, msgs.size());
        assertEquals("second", msgs.get(0).bodyString());
        assertEquals(offset, msgs.get(0).physicalOffset());

        RemotingCommand missing = h.call(RemotingCommand.request(RequestCode.VIEW_MESSAGE_BY_ID)
                .put("offset", offset + 1));
        assertEquals(ResponseCode.SYSTEM_ERROR, missing.code());
        assertEquals("can not find message by the offset, " + (offset + 1), missing.remark());
    }
}

package io.tern.broker;

import static io.tern.broker.BrokerHarness.props;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tern.common.Json;
import io.tern.common.message.MessageIds;
import io.tern.remoting.protocol.RemotingCommand;
import io.tern.remoting.protocol.RequestCode;
import io.tern.remoting.protocol.ResponseCode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class QueryAndLockTest {
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

    private RemotingCommand query(String topic, String key, boolean unique) {
        return RemotingCommand.request(RequestCode.QUERY_MESSAGE).put("topic", topic).put("key", key)
                .put("maxNum", 32).put("beginTimestamp", 0).put("endTimestamp", Long.MAX_VALUE)
                .put("_UNIQUE_KEY_QUERY", unique);
    }

    @Test
    void queryByKeyAndViewById() throws Exception {
        RemotingCommand sent = h.call(BrokerHarness.sendV2("QT", 0, "findme",
                props("KEYS", "order-1 order-2", "UNIQ_KEY", "UNIQ-123")));
        assertEquals(ResponseCode.SUCCESS, sent.code());

        RemotingCommand byKey = h.call(query("QT", "order-2", false));
        assertEquals(ResponseCode.SUCCESS, byKey.code(), byKey.remark());
        assertEquals("findme", StoredMessage.decodeAll(byKey.bodyBytes()).get(0).bodyString());
        RemotingCommand byUniq = h.call(query("QT", "UNIQ-123", true));
        assertEquals(ResponseCode.SUCCESS, byUniq.code());
        RemotingCommand none = h.call(query("QT", "nope", false));
        assertEquals(ResponseCode.QUERY_NOT_FOUND, none.code());
        assertTrue(none.extFields().containsKey("indexLastUpdatePhyoffset"));

        long offset = MessageIds.physicalOffset(sent.ext("msgId"));
        RemotingCommand view = h.call(RemotingCommand.request(RequestCode.VIEW_MESSAGE_BY_ID).put("offset", offset));
        assertEquals(ResponseCode.SUCCESS, view.code());
        assertNull(view.extFields());
        List<StoredMessage> one = StoredMessage.decodeAll(view.bodyBytes());
        assertEquals(1, one.size());
        assertEquals("UNIQ-123", one.get(0).properties().get("UNIQ_KEY"));
        RemotingCommand missing = h.call(RemotingCommand.request(RequestCode.VIEW_MESSAGE_BY_ID).put("offset", 999_999));
        assertEquals(ResponseCode.SYSTEM_ERROR, missing.code());
    }

    private static RemotingCommand lock(int code, String clientId, int... queues) {
        StringBuilder mqs = new StringBuilder();
        for (int q : queues) {
            if (mqs.length() > 0) {
                mqs.append(',');
            }
            mqs.append("{\"brokerName\":\"broker-a\",\"queueId\":").append(q).append(",\"topic\":\"LT\"}");
        }
        String body = "{\"clientId\":\"" + clientId + "\",\"consumerGroup\":\"CGL\",\"mqSet\":[" + mqs + "]}";
        return RemotingCommand.request(code).body(body.getBytes(StandardCharsets.UTF_8));
    }

    @SuppressWarnings("unchecked")
    private static int lockedCount(RemotingCommand resp) {
        return ((List<Object>) Json.fromBytes(resp.bodyBytes(), Map.class).get("lockOKMQSet")).size();
    }

    @Test
    void queueLocksAreExclusiveUntilUnlocked() throws Exception {
        assertEquals(2, lockedCount(h.call(lock(RequestCode.LOCK_BATCH_MQ, "c1", 0, 1))));
        assertEquals(1, lockedCount(h.call(lock(RequestCode.LOCK_BATCH_MQ, "c2", 1, 2))), "queue 1 is held by c1");
        assertEquals(2, lockedCount(h.call(lock(RequestCode.LOCK_BATCH_MQ, "c1", 0, 1))), "re-lock refreshes");
        assertEquals(ResponseCode.SUCCESS, h.call(lock(RequestCode.UNLOCK_BATCH_MQ, "c1", 1)).code());
        RemotingCommand after = h.call(lock(RequestCode.LOCK_BATCH_MQ, "c2", 1));
        assertEquals(1, lockedCount(after));
        assertTrue(new String(after.bodyBytes(), StandardCharsets.UTF_8).contains("\"queueId\":1"));
    }
}

package io.tern.broker;

import static io.tern.broker.BrokerHarness.props;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tern.common.Json;
import io.tern.remoting.protocol.RemotingCommand;
import io.tern.remoting.protocol.RequestCode;
import io.tern.remoting.protocol.ResponseCode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Scheduled delivery through SCHEDULE_TOPIC_XXXX (spec 6.7) and GET_ALL_DELAY_OFFSET (45). */
class ScheduleMessageTest {
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

    /** Pulls until the queue yields messages, up to ~30 s (a deadline for a hung broker, not a timing assertion). */
    static List<StoredMessage> pullUntilFound(BrokerHarness h, String group, String topic, int queueId, long offset)
            throws Exception {
        for (int i = 0; i < 300; i++) {
            RemotingCommand r = h.call(BrokerHarness.pull(group, topic, queueId, offset, "*", 0));
            if (r.code() == ResponseCode.SUCCESS) {
                return StoredMessage.decodeAll(r.bodyBytes());
            }
            Thread.sleep(100);
        }
        throw new AssertionError("nothing arrived on " + topic + "/" + queueId + " at " + offset);
    }

    @Test
    void levelOneMessageIsDeliveredToItsRealQueueOnlyWhenDue() throws Exception {
        RemotingCommand sent = h.call(BrokerHarness.sendV2("DT", 1, "delayed",
                props("DELAY", "1", "TAGS", "TagD", "KEYS", "dk", "UNIQ_KEY", "DU1")));
        assertEquals(ResponseCode.SUCCESS, sent.code(), sent.remark());
        RemotingCommand early = h.call(BrokerHarness.pull("G", "DT", 1, 0, "*", 0));
        long earlyPullDoneMs = System.currentTimeMillis();

        List<StoredMessage> scheduled = StoredMessage.decodeAll(
                h.call(BrokerHarness.pull("G", "SCHEDULE_TOPIC_XXXX", 0, 0, "*", 0)).bodyBytes());
        assertEquals(1, scheduled.size());
        long dueMs = scheduled.get(0).storeTimestamp() + 1000;
        // not pullable before it is due (on a machine so slow that the first pull came after the due time,
        // whatever it found must have been stored at or after the due time)
        if (early.code() == ResponseCode.SUCCESS) {
            assertTrue(earlyPullDoneMs >= dueMs, "pulled before it was due");
            assertTrue(StoredMessage.decodeAll(early.bodyBytes()).get(0).storeTimestamp() >= dueMs);
        }

        List<StoredMessage> delivered = pullUntilFound(h, "G", "DT", 1, 0);
        assertEquals(1, delivered.size());
        StoredMessage m = delivered.get(0);
        assertEquals("delayed", m.bodyString());
        assertEquals("DT", m.topic());
        assertEquals(1, m.queueId());
        assertEquals("TagD", m.properties().get("TAGS"));
        assertEquals("DU1", m.properties().get("UNIQ_KEY"));
        assertEquals("DT", m.properties().get("REAL_TOPIC"));
        assertTrue(m.storeTimestamp() >= dueMs,
                "stored at its real queue no earlier than one level-1 delay after the schedule copy");

        // the tag code was recomputed from TAGS: a tag-filtered pull finds it
        RemotingCommand byTag = h.call(BrokerHarness.pull("G2", "DT", 1, 0, "TagD", 0));
        assertEquals(ResponseCode.SUCCESS, byTag.code(), byTag.remark());

        RemotingCommand offsets = h.call(RemotingCommand.request(RequestCode.GET_ALL_DELAY_OFFSET));
        assertEquals(ResponseCode.SUCCESS, offsets.code());
        Map<?, ?> table = (Map<?, ?>) Json.fromBytes(offsets.bodyBytes(), Map.class).get("offsetTable");
        assertEquals(1, ((Number) table.get("1")).intValue());
    }

    @Test
    void delayOffsetsSurviveARestartWithoutRedelivery() throws Exception {
        h.call(BrokerHarness.sendV2("DR", 0, "once", props("DELAY", "1")));
        pullUntilFound(h, "G", "DR", 0, 0);
        h.restartBroker();
        String json = Files.readString(dir.resolve("config/delayOffset.json"), StandardCharsets.UTF_8);
        assertTrue(json.contains("\"1\":1"), json);
        // a second message after the restart is delivered; the first one is not delivered again
        h.call(BrokerHarness.sendV2("DR", 0, "twice", props("DELAY", "1")));
        List<StoredMessage> next = pullUntilFound(h, "G", "DR", 0, 1);
        assertEquals(1, next.size());
        assertEquals("twice", next.get(0).bodyString());
        assertEquals(2, h.broker.components().store().maxOffsetInQueue("DR", 0));
    }
}

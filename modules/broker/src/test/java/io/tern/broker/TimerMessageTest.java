package io.tern.broker;

import static io.tern.broker.BrokerHarness.props;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tern.remoting.protocol.RemotingCommand;
import io.tern.remoting.protocol.ResponseCode;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The send side of timer messages and what the wheel delivers, over the wire protocol (src-docs/timers.md). */
class TimerMessageTest {
    private static final String TIMER_TOPIC = "rmq_sys_wheel_timer";
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

    @Test
    void aTimerWaitsInTheTimerTopicAndReachesItsRealQueueAtItsTime() throws Exception {
        long sentMs = System.currentTimeMillis();
        RemotingCommand sent = h.call(BrokerHarness.sendV2("TT", 2, "timed",
                props("TIMER_DELAY_MS", "700", "TAGS", "TagT", "KEYS", "tk", "UNIQ_KEY", "TU1")));
        assertEquals(ResponseCode.SUCCESS, sent.code(), sent.remark());

        List<StoredMessage> waiting = StoredMessage.decodeAll(
                h.call(BrokerHarness.pull("G", TIMER_TOPIC, 0, 0, "*", 0)).bodyBytes());
        assertEquals(1, waiting.size());
        long outMs = Long.parseLong(waiting.get(0).properties().get("TIMER_OUT_MS"));
        assertTrue(outMs >= sentMs + 700, "the due time is rounded up, never down");
        assertEquals(0, outMs % 100, "on a tick of timerPrecisionMs");
        assertEquals("TT", waiting.get(0).properties().get("REAL_TOPIC"));
        assertEquals("2", waiting.get(0).properties().get("REAL_QID"));

        List<StoredMessage> delivered = ScheduleMessageTest.pullUntilFound(h, "G", "TT", 2, 0);
        assertEquals(1, delivered.size());
        StoredMessage m = delivered.get(0);
        assertEquals("timed", m.bodyString());
        assertEquals("TagT", m.properties().get("TAGS"));
        assertEquals("TU1", m.properties().get("UNIQ_KEY"));
        assertNull(m.properties().get("REAL_TOPIC"));
        assertNull(m.properties().get("REAL_QID"));
        assertTrue(m.properties().containsKey("TIMER_DEQUEUE_MS"));
        assertTrue(m.storeTimestamp() >= outMs, "delivered " + (outMs - m.storeTimestamp()) + " ms early");
    }

    @Test
    void aDelayLevelWinsOverTimerProperties() throws Exception {
        RemotingCommand sent = h.call(BrokerHarness.sendV2("TL", 0, "level",
                props("DELAY", "1", "TIMER_DELAY_SEC", "3600")));
        assertEquals(ResponseCode.SUCCESS, sent.code(), sent.remark());
        List<StoredMessage> scheduled = StoredMessage.decodeAll(
                h.call(BrokerHarness.pull("G", "SCHEDULE_TOPIC_XXXX", 0, 0, "*", 0)).bodyBytes());
        assertEquals(1, scheduled.size());
        assertFalse(scheduled.get(0).properties().containsKey("TIMER_DELAY_SEC"));
        assertEquals(ResponseCode.PULL_NOT_FOUND, h.call(BrokerHarness.pull("G", TIMER_TOPIC, 0, 0, "*", 0)).code());
    }

    @Test
    void aTimeInThePastIsDeliveredAtOnce() throws Exception {
        RemotingCommand sent = h.call(BrokerHarness.sendV2("TP", 0, "past",
                props("TIMER_DELIVER_MS", Long.toString(System.currentTimeMillis() - 60_000))));
        assertEquals(ResponseCode.SUCCESS, sent.code(), sent.remark());
        assertEquals(1, StoredMessage.decodeAll(h.call(BrokerHarness.pull("G", "TP", 0, 0, "*", 0)).bodyBytes()).size());
    }

    @Test
    void beyondTheMaxDelayOrNotANumberIsRefusedAndNothingIsStored() throws Exception {
        long fortyOneDays = 41L * 24 * 3600;
        RemotingCommand far = h.call(BrokerHarness.sendV2("TR", 0, "far",
                props("TIMER_DELAY_SEC", Long.toString(fortyOneDays))));
        assertEquals(ResponseCode.MESSAGE_ILLEGAL, far.code());
        assertEquals("timer message illegal, the delay time should not be bigger than the max delay 3456000000ms;"
                + " or if set del msg, the delay time should be bigger than the current time", far.remark());
        RemotingCommand junk = h.call(BrokerHarness.sendV2("TR", 0, "junk", props("TIMER_DELIVER_MS", "soon")));
        assertEquals(ResponseCode.MESSAGE_ILLEGAL, junk.code());
        assertEquals(ResponseCode.PULL_NOT_FOUND, h.call(BrokerHarness.pull("G", TIMER_TOPIC, 0, 0, "*", 0)).code());
    }

    /** A window of 5 ticks (0.5 s): a timer 2.5 s ahead is rolled from the window's end until it is inside. */
    @Test
    void aTimerBeyondTheWindowIsRolledAndStillDeliveredNotBeforeItsTime() throws Exception {
        h.close();
        h = new BrokerHarness(dir.resolve("roll"), c -> c.store.timerRollWindowSlots = 5);
        RemotingCommand sent = h.call(BrokerHarness.sendV2("TW", 0, "rolled",
                props("TIMER_DELAY_MS", "2500", "UNIQ_KEY", "RU1")));
        assertEquals(ResponseCode.SUCCESS, sent.code(), sent.remark());
        List<StoredMessage> delivered = ScheduleMessageTest.pullUntilFound(h, "G", "TW", 0, 0);
        assertEquals(1, delivered.size());
        StoredMessage m = delivered.get(0);
        long outMs = Long.parseLong(m.properties().get("TIMER_OUT_MS"));
        assertTrue(m.storeTimestamp() >= outMs, "delivered " + (outMs - m.storeTimestamp()) + " ms early");
        assertTrue(Integer.parseInt(m.properties().get("TIMER_ROLL_TIMES")) >= 1, m.properties().toString());
        assertEquals("RU1", m.properties().get("UNIQ_KEY"));
        // every roll wrote a fresh copy to the timer topic: the original and at least one more
        List<StoredMessage> copies = StoredMessage.decodeAll(
                h.call(BrokerHarness.pull("G", TIMER_TOPIC, 0, 0, "*", 0)).bodyBytes());
        assertTrue(copies.size() >= 2, copies.size() + " copies");
        assertEquals(1, StoredMessage.decodeAll(h.call(BrokerHarness.pull("G", "TW", 0, 0, "*", 0)).bodyBytes()).size(),
                "delivered once");
    }

    @Test
    void withTheWheelSwitchedOffATimerIsRefused() throws Exception {
        h.close();
        h = new BrokerHarness(dir.resolve("off"), c -> c.store.timerWheelEnable = false);
        RemotingCommand sent = h.call(BrokerHarness.sendV2("TO", 0, "off", props("TIMER_DELAY_SEC", "10")));
        assertEquals(ResponseCode.SYSTEM_ERROR, sent.code());
        assertEquals("accurate timer message is not enabled, timerWheelEnable is false", sent.remark());
    }
}

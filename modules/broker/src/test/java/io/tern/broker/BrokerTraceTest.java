package io.tern.broker;

import static io.tern.broker.BrokerHarness.props;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tern.broker.trace.TraceLookup;
import io.tern.common.trace.MessageTrace;
import io.tern.common.trace.TraceRecord;
import io.tern.remoting.protocol.RemotingCommand;
import io.tern.remoting.protocol.ResponseCode;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** brokerTraceEnable: one trace message per send request, a Pub per message of a batch; off, nothing is written. */
class BrokerTraceTest {
    @TempDir
    Path dir;

    @Test
    void aBatchGetsOnePubPerMessage() throws Exception {
        try (BrokerHarness h = new BrokerHarness(dir, c -> c.brokerTraceEnable = true)) {
            RemotingCommand batch = h.call(BrokerHarness.sendBatch("TB", 0, props("UNIQ_KEY", "BATCH"),
                    List.of("b0", "b1"), List.of(props("UNIQ_KEY", "R0", "TAGS", "T0", "KEYS", "k0"),
                            props("UNIQ_KEY", "R1", "DELAY", "2"))));
            assertEquals(ResponseCode.SUCCESS, batch.code(), batch.remark());
            String[] offsetIds = batch.ext("msgId").split(",");
            TraceLookup lookup = new TraceLookup(h.broker.components().config(), h.broker.components().store());
            MessageTrace r0 = eventually(lookup, "R0");
            MessageTrace.Published p0 = r0.published().get(0);
            assertEquals("broker", p0.source());
            assertEquals("PG", p0.producerGroup());
            assertEquals("TB", p0.topic());
            assertEquals("T0", p0.tags());
            assertEquals("k0", p0.keys());
            assertEquals(offsetIds[0], p0.offsetMsgId());
            assertEquals(TraceRecord.NORMAL_MSG, p0.msgType());
            MessageTrace r1 = eventually(lookup, "R1");
            assertEquals(offsetIds[1], r1.published().get(0).offsetMsgId());
            assertEquals(1, h.broker.components().store().maxOffsetInQueue("RMQ_SYS_TRACE_TOPIC", 0),
                    "one trace message for the request");
        }
    }

    @Test
    void offTheBrokerWritesNoTraceAndHasNoTraceTopic() throws Exception {
        try (BrokerHarness h = new BrokerHarness(dir)) {
            assertEquals(ResponseCode.SUCCESS, h.call(BrokerHarness.sendV2("TN", 0, "m", props("UNIQ_KEY", "N1")))
                    .code());
            assertFalse(h.broker.components().topics().contains("RMQ_SYS_TRACE_TOPIC"));
            assertTrue(new TraceLookup(h.broker.components().config(), h.broker.components().store())
                    .find("N1", 8).published().isEmpty());
        }
    }

    private static MessageTrace eventually(TraceLookup lookup, String msgId) throws InterruptedException {
        long deadline = System.nanoTime() + 10_000_000_000L;
        MessageTrace t = lookup.find(msgId, 8);
        while (t.published().isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(20);
            t = lookup.find(msgId, 8);
        }
        assertFalse(t.published().isEmpty(), "no trace of " + msgId);
        return t;
    }
}

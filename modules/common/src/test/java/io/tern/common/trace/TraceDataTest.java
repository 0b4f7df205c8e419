package io.tern.common.trace;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The clients' trace text, written here the way TraceDataEncoder of 4.9.8 and 5.3.3 writes it. */
class TraceDataTest {
    static final String C = "\u0001";
    static final String F = "\u0002";

    static String pub49(String msgId) {
        return String.join(C, "Pub", "1700000000000", "DefaultRegion", "PG", "Orders", msgId, "TagA", "k1 k2",
                "127.0.0.1:10911", "5", "12", "0", "7F00000100002A9F0000000000000000", "true") + F;
    }

    @Test
    void decodesEveryTypeTheClientsWrite() {
        String body = pub49("M1")
                + String.join(C, "SubBefore", "1700000000100", "DefaultRegion", "CG", "req-1", "M1", "0", "k1 k2") + F
                + String.join(C, "SubAfter", "req-1", "M1", "7", "true", "k1 k2", "0", "1700000000107", "CG") + F
                + String.join(C, "EndTransaction", "1700000000200", "DefaultRegion", "PG", "Orders", "M1", "TagA",
                        "k1", "127.0.0.1:10911", "1", "tx-1", "COMMIT_MESSAGE", "false") + F;
        List<TraceRecord> records = TraceData.decode(body);
        assertEquals(4, records.size());
        TraceRecord pub = records.get(0);
        assertEquals(TraceRecord.PUB, pub.type());
        assertEquals(1_700_000_000_000L, pub.timestamp());
        assertEquals("PG", pub.group());
        assertEquals("M1", pub.msgId());
        assertEquals(12, pub.costTimeMs());
        assertEquals(5, pub.bodyLength());
        assertEquals("7F00000100002A9F0000000000000000", pub.offsetMsgId());
        assertTrue(pub.success());
        assertEquals("req-1", records.get(1).requestId());
        assertEquals(0, records.get(1).retryTimes());
        TraceRecord after = records.get(2);
        assertEquals(7, after.costTimeMs());
        assertEquals("CG", after.group());
        assertEquals(1_700_000_000_107L, after.timestamp());
        assertEquals("COMMIT_MESSAGE", records.get(3).transactionState());
    }

    @Test
    void oldAndNewFieldCountsAndMalformedContexts() {
        // 5.x Pub with a 15th field (clientHost); 4.x SubAfter without time and group; "null" values
        String body = String.join(C, "Pub", "1", "R", "PG", "T", "M2", "null", "null", "h:1", "0", "3", "3",
                "OFF", "true", "10.0.0.1") + F
                + String.join(C, "SubAfter", "req-2", "M2", "4", "false", "null") + F
                + String.join(C, "Pub", "not-a-number") + F
                + "Unknown" + C + "x" + F;
        List<TraceRecord> records = TraceData.decode(body);
        assertEquals(2, records.size());
        assertNull(records.get(0).tags());
        assertEquals(TraceRecord.DELAY_MSG, records.get(0).msgType());
        assertEquals(-1, records.get(1).timestamp());
        assertFalse(records.get(1).success());
        assertTrue(TraceData.decode("").isEmpty());
    }

    @Test
    void appendPubWritesFourteenFieldsThatDecodeBack() {
        TraceRecord r = TraceRecord.pub(42, "DefaultRegion", "PG", "T", "M3", null, "k", "127.0.0.1:1", 9, 2,
                TraceRecord.NORMAL_MSG, "OFF", true);
        String text = TraceData.appendPub(new StringBuilder(), r).toString();
        assertEquals(14, text.substring(0, text.length() - 1).split(C, -1).length, "the 4.9 reader takes 13 or 14");
        assertTrue(text.endsWith(F));
        assertEquals(r, TraceData.decode(text).get(0));
    }

    @Test
    void messageTracePairsSubBeforeWithSubAfterByRequestId() {
        String body = pub49("M4")
                + String.join(C, "SubBefore", "100", "R", "CG", "req-a", "M4", "0", "k") + F
                + String.join(C, "SubBefore", "300", "R", "CG", "req-b", "M4", "1", "k") + F
                + String.join(C, "SubAfter", "req-a", "M4", "5", "false", "k", "4", "105", "CG") + F
                + String.join(C, "SubAfter", "req-b", "M4", "6", "true", "k", "0", "306", "CG") + F
                + String.join(C, "SubBefore", "100", "R", "CG", "req-x", "OTHER", "0", "k") + F;
        List<MessageTrace.Observed> observed = TraceData.decode(body).stream()
                .map(t -> new MessageTrace.Observed(t, "10.0.0.2:5000", "client")).toList();
        MessageTrace trace = MessageTrace.of("M4", observed);
        assertEquals(1, trace.published().size());
        assertEquals("10.0.0.2:5000", trace.published().get(0).clientHost());
        assertEquals(2, trace.consumed().size());
        MessageTrace.Consumed first = trace.consumed().get(0);
        assertEquals(100, first.beginTimestamp());
        assertEquals(5, first.costTimeMs());
        assertFalse(first.success());
        MessageTrace.Consumed retry = trace.consumed().get(1);
        assertEquals(1, retry.retryTimes());
        assertTrue(retry.success());
    }
}

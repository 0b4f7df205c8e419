package io.tern.store.impl;

import io.tern.common.message.MessageSysFlag;
import io.tern.common.message.StoredRecordLayout;
import io.tern.common.message.TagCodes;
import io.tern.store.StoreMessage;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;

import static io.tern.store.impl.TestSupport.message;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RecordCodecTest {

    @Test
    void encodesTheSpecLayoutWithIpv6HostsAndParsesItBack() throws Exception {
        StoreMessage m = message("TopicX", 5, "payload", "TagB", "a b");
        m.storeHostAddress = new byte[16];
        m.storeHostAddress[0] = (byte) 0xfe;
        ByteBuffer rec = TestSupport.encodeWhole(m, 1024);
        RecordCodec.patch(rec, 42, 4096, 1234567L);
        TestSupport.Decoded d = TestSupport.decode(rec);
        assertEquals(rec.remaining(), d.totalSize());
        assertEquals(StoredRecordLayout.MIN_RECORD_BYTES + 12 + 7 + 6 + m.properties.length(), d.totalSize());
        assertEquals(42, d.queueOffset());
        assertEquals(4096, d.physicalOffset());
        assertEquals(1234567L, d.storeTimestamp());
        assertEquals(MessageSysFlag.STOREHOST_V6, d.sysFlag());
        assertArrayEquals(m.storeHostAddress, d.storeHost());
        assertEquals("payload", d.body());

        ByteBuffer log = ByteBuffer.allocate(8192);
        log.put(4096, rec, 0, rec.remaining());
        DispatchRecord r = RecordCodec.parse(log, 4096, 8192, 4096, true);
        assertNotNull(r);
        assertEquals("TopicX", r.topic());
        assertEquals(5, r.queueId());
        assertEquals(42, r.queueOffset());
        assertEquals(TagCodes.of("TagB"), r.tagsCode());
        assertEquals("a b", r.keys());
        assertEquals("UNIQ-payload", r.uniqKey());
        assertEquals(1234567L, r.storeTimestamp());

        assertNull(RecordCodec.parse(log, 4096, 8192, 4000, true), "offset field must name the position");
        assertNull(RecordCodec.parse(log, 4096, 4096 + rec.remaining() - 1, 4096, true), "cut short");
        ByteBuffer badCrc = ByteBuffer.allocate(8192).put(4096, log, 4096, rec.remaining());
        badCrc.put(4096 + rec.remaining() - m.properties.length() - 20, (byte) 'Z');
        assertNull(RecordCodec.parse(badCrc, 4096, 8192, 4096, true), "body changed");
        ByteBuffer halfProps = ByteBuffer.allocate(8192).put(4096, log, 4096, rec.remaining() - 3);
        assertNull(RecordCodec.parse(halfProps, 4096, 8192, 4096, true), "trailing properties missing");
    }

    @Test
    void refusesOversizeFields() {
        assertThrows(RecordCodec.InvalidMessageException.class,
                () -> RecordCodec.encode(message("T", 0, "x".repeat(11)), 10));
        RecordCodec.InvalidMessageException e = assertThrows(RecordCodec.InvalidMessageException.class, () -> {
            StoreMessage m = message("T", 0, "x");
            m.properties = "K\u0001" + "é".repeat(20_000);
            RecordCodec.encode(m, 10);
        });
        assertTrue(e.propertiesTooLong);
        assertThrows(RecordCodec.InvalidMessageException.class,
                () -> RecordCodec.encode(message("", 0, "x"), 10));
    }

    @Test
    void scheduleTopicEntriesGetTheirDeliveryTimeOnRecovery() throws Exception {
        StoreMessage m = message(DelayLevels.SCHEDULE_TOPIC, 2, "later");
        m.properties = m.properties + "\u0002DELAY\u00013";
        ByteBuffer rec = TestSupport.encodeWhole(m, 1024);
        RecordCodec.patch(rec, 0, 0, 1_000_000L);
        DispatchRecord r = RecordCodec.parse(new StoredRecordLayout.View(), rec, 0, rec.remaining(), 0, true,
                new DelayLevels("1s 5s 10s 30s 1m 2m 3m 4m 5m 6m 7m 8m 9m 10m 20m 30m 1h 2h"));
        assertEquals(1_000_000L + 10_000, r.tagsCode());
        assertEquals(1_000_000L + 7_200_000, new DelayLevels("1s 2h").deliverTimestamp(99, 1_000_000L));
    }

    @Test
    void longRetryTopicsAreStoredInTheV2LayoutAndParsedBack() throws Exception {
        String retry = "%RETRY%" + "g".repeat(193);
        StoreMessage m = message(retry, 1, "again", "TagR", "k9");
        ByteBuffer rec = TestSupport.encodeWhole(m, 1024);
        assertEquals(StoredRecordLayout.MAGIC_V2, rec.getInt(StoredRecordLayout.MAGIC_OFFSET));
        RecordCodec.patch(rec, 7, 0, 99L);
        TestSupport.Decoded d = TestSupport.decode(rec);
        assertEquals(retry, d.topic());
        assertEquals(m.properties, d.properties());
        DispatchRecord r = RecordCodec.parse(rec, 0, rec.remaining(), 0, true);
        assertNotNull(r, "recovery takes a v2 record for a record");
        assertEquals(retry, r.topic());
        assertEquals(7, r.queueOffset());
        assertEquals("k9", r.keys());
        assertEquals(TagCodes.of("TagR"), r.tagsCode());
    }

    @Test
    void topicLengthsFollowTheReference() throws Exception {
        assertEquals(StoredRecordLayout.MAGIC_V1, RecordCodec.encode(message("T".repeat(127), 0, "x"), 10).fixed()
                .getInt(StoredRecordLayout.MAGIC_OFFSET));
        assertThrows(RecordCodec.InvalidMessageException.class,
                () -> RecordCodec.encode(message("T".repeat(128), 0, "x"), 10), "only retry topics may be longer");
        assertThrows(RecordCodec.InvalidMessageException.class,
                () -> RecordCodec.encode(message("%DLQ%" + "g".repeat(123), 0, "x"), 10));
        RecordCodec.encode(message("%RETRY%" + "g".repeat(248), 0, "x"), 10);
        assertThrows(RecordCodec.InvalidMessageException.class,
                () -> RecordCodec.encode(message("%RETRY%" + "g".repeat(249), 0, "x"), 10), "255 bytes at most");
    }
}

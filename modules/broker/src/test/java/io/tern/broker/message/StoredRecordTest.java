package io.tern.broker.message;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.tern.common.message.MessageSysFlag;
import io.tern.common.message.StoredRecordLayout;
import io.tern.store.StoreMessage;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class StoredRecordTest {
    static final byte[] BORN6 = new byte[16];
    static final byte[] STORE = {10, 1, 2, 3};

    static ByteBuffer stored(String topic, String properties) {
        ByteBuffer r = StoredRecordLayout.encode(topic.getBytes(StandardCharsets.UTF_8), 2, 7,
                MessageSysFlag.TRANSACTION_PREPARED_TYPE, 100L, BORN6, 5000, 200L, STORE, 10911, 3, 0,
                ByteBuffer.wrap("body".getBytes(StandardCharsets.UTF_8)), properties.getBytes(StandardCharsets.UTF_8));
        StoredRecordLayout.stamp(r, 9, 4096, 200L);
        return r;
    }

    @Test
    void decodesV1AndV2RecordsAlike() {
        for (String topic : new String[] {"RMQ_SYS_TRANS_HALF_TOPIC", "%RETRY%" + "g".repeat(180)}) {
            StoredRecord r = StoredRecord.decode(stored(topic, "REAL_TOPIC\u0001T"));
            assertEquals(topic, r.topic());
            assertEquals("REAL_TOPIC\u0001T", r.properties());
            assertEquals(2, r.queueId());
            assertEquals(7, r.flag());
            assertEquals(9, r.queueOffset());
            assertEquals(4096, r.physicalOffset());
            assertEquals(MessageSysFlag.TRANSACTION_PREPARED_TYPE | MessageSysFlag.BORNHOST_V6, r.sysFlag());
            assertArrayEquals(BORN6, r.bornHost());
            assertEquals(5000, r.bornPort());
            assertEquals(200L, r.storeTimestamp());
            assertArrayEquals(STORE, r.storeHost());
            assertEquals(10911, r.storePort());
            assertEquals(3, r.reconsumeTimes());
            assertEquals("body", StandardCharsets.UTF_8.decode(r.body().duplicate()).toString());
        }
        assertThrows(IllegalArgumentException.class, () -> StoredRecord.decode(ByteBuffer.allocate(120)));
    }

    @Test
    void encodeAsKeepsOffsetsAndTimesAndCanGrowIntoV2() {
        StoredRecord half = StoredRecord.decode(stored("RMQ_SYS_TRANS_HALF_TOPIC", "REAL_TOPIC\u0001T"));
        String longTopic = "%RETRY%" + "r".repeat(150);
        for (String topic : new String[] {"T", longTopic}) {
            StoredRecord shown = StoredRecord.decode(half.encodeAs(topic, 5, "A\u0001b"));
            assertEquals(topic, shown.topic());
            assertEquals(5, shown.queueId());
            assertEquals("A\u0001b", shown.properties());
            assertEquals(half.queueOffset(), shown.queueOffset());
            assertEquals(half.physicalOffset(), shown.physicalOffset());
            assertEquals(half.storeTimestamp(), shown.storeTimestamp());
            assertEquals(half.bornTimestamp(), shown.bornTimestamp());
            assertEquals(half.sysFlag(), shown.sysFlag());
        }
        assertEquals(StoredRecordLayout.MAGIC_V2,
                half.encodeAs(longTopic, 0, "").getInt(StoredRecordLayout.MAGIC_OFFSET));

        StoreMessage m = half.rewrite(STORE, 1);
        assertEquals(half.body(), m.body);
        assertEquals(half.reconsumeTimes(), m.reconsumeTimes);
    }
}

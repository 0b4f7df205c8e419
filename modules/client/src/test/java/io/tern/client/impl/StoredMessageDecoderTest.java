package io.tern.client.impl;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tern.client.TernMessage;
import io.tern.common.message.StoredRecordLayout;
import io.vertx.core.buffer.Buffer;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class StoredMessageDecoderTest {
    /** One stored record, encoded by the layout's owner, with the offsets a broker stamps in. */
    static Buffer record(int sysFlag, long queueOffset, long physicalOffset, byte[] storeIp, byte[] body,
                         String topic, String properties) {
        ByteBuffer r = StoredRecordLayout.encode(topic.getBytes(StandardCharsets.UTF_8), 1, 5, sysFlag,
                1_700_000_000_000L, new byte[] {127, 0, 0, 1}, 60724, 1_700_000_000_123L, storeIp, 20911, 2, 0,
                ByteBuffer.wrap(body), properties.getBytes(StandardCharsets.UTF_8));
        StoredRecordLayout.stamp(r, queueOffset, physicalOffset, 1_700_000_000_123L);
        return Buffer.buffer(r.array());
    }

    @Test
    void decodesTheCapturedLayout() {
        Buffer r = record(0, 0, 0, new byte[] {127, 0, 0, 1}, "hello".getBytes(), "SpecTopic1",
                "KEYS\u0001key1\u0002UNIQ_KEY\u0001FD00\u0002CLUSTER\u0001DefaultCluster\u0002TAGS\u0001TagA");
        List<TernMessage> ms = StoredMessageDecoder.decodeAll(r, "broker-a");
        assertEquals(1, ms.size());
        TernMessage m = ms.get(0);
        assertEquals("SpecTopic1", m.topic());
        assertEquals("hello", m.body().toString());
        assertEquals("TagA", m.tags());
        assertEquals(List.of("key1"), m.keys());
        assertEquals("DefaultCluster", m.property("CLUSTER"));
        assertEquals("FD00", m.msgId());
        assertEquals("7F000001000051AF0000000000000000", m.offsetMsgId());
        assertEquals(1, m.queueId());
        assertEquals(5, m.flag());
        assertEquals(1_700_000_000_000L, m.bornTimestamp());
        assertEquals(1_700_000_000_123L, m.storeTimestamp());
        assertEquals(2, m.reconsumeTimes());
        assertEquals("broker-a", m.receipt().brokerName());
    }

    @Test
    void decodesConcatenatedRecordsIpv6StoreHostsV2TopicsAndCompressedBodies() {
        byte[] ip6 = new byte[16];
        ip6[15] = 1;
        byte[] big = "x".repeat(10_000).getBytes();
        String longTopic = "%RETRY%" + "g".repeat(200);
        Buffer body = Buffer.buffer()
                .appendBuffer(record(0, 7, 100, new byte[] {10, 0, 0, 2}, "a".getBytes(), "T", ""))
                .appendBuffer(record(0, 8, 200, ip6, "b".getBytes(), longTopic, "UNIQ_KEY\u0001ID2"))
                .appendBuffer(record(BodyCompression.ZLIB_SYS_FLAG, 9, 300, new byte[] {10, 0, 0, 2},
                        BodyCompression.compress(big), "T", ""));
        List<TernMessage> ms = StoredMessageDecoder.decodeAll(body, "b");
        assertEquals(3, ms.size());
        assertEquals("a", ms.get(0).body().toString());
        assertEquals(7, ms.get(0).queueOffset());
        assertEquals(ms.get(0).offsetMsgId(), ms.get(0).msgId(), "no UNIQ_KEY: the offset id");
        assertEquals(longTopic, ms.get(1).topic(), "v2: two-byte topic length");
        assertEquals("b", ms.get(1).body().toString());
        assertEquals(56, ms.get(1).offsetMsgId().length());
        assertEquals("ID2", ms.get(1).msgId());
        assertEquals(200, ms.get(1).receipt().commitLogOffset());
        assertEquals(Buffer.buffer(big), ms.get(2).body());
        assertEquals(9, ms.get(2).queueOffset(), "the record after a v2 one starts where the v2 one ends");
    }

    @Test
    void aTruncatedTailEndsDecodingAfterTheWholeRecords() {
        Buffer whole = record(0, 1, 0, new byte[] {10, 0, 0, 2}, "w".getBytes(), "T", "");
        Buffer cut = record(0, 2, 100, new byte[] {10, 0, 0, 2}, "c".getBytes(), "T", "");
        Buffer body = Buffer.buffer().appendBuffer(whole).appendBuffer(cut.slice(0, cut.length() - 1));
        List<TernMessage> ms = StoredMessageDecoder.decodeAll(body, "b");
        assertEquals(1, ms.size());
        assertEquals("w", ms.get(0).body().toString());
    }
}

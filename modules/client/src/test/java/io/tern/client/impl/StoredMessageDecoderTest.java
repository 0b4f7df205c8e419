package io.tern.client.impl;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tern.client.TernMessage;
import io.tern.common.message.MessageSysFlag;
import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class StoredMessageDecoderTest {
    static final int MAGIC_V1 = 0xDAA320A7;

    /** One stored record, laid out as spec 5.3 describes (IPv4 hosts unless {@code storeIp} has 16 bytes). */
    static Buffer record(int magic, int sysFlag, long queueOffset, long physicalOffset, byte[] storeIp, byte[] body,
                         String topic, String properties) {
        byte[] topicBytes = topic.getBytes(StandardCharsets.UTF_8);
        byte[] props = properties.getBytes(StandardCharsets.UTF_8);
        Buffer b = Buffer.buffer();
        b.appendInt(0).appendInt(magic).appendInt(0x3610a686).appendInt(1).appendInt(5)
                .appendLong(queueOffset).appendLong(physicalOffset).appendInt(sysFlag)
                .appendLong(1_700_000_000_000L)
                .appendBytes(new byte[] {127, 0, 0, 1}).appendInt(60724)
                .appendLong(1_700_000_000_123L)
                .appendBytes(storeIp).appendInt(20911)
                .appendInt(2).appendLong(0)
                .appendInt(body.length).appendBytes(body);
        if (magic == StoredMessageDecoder.MAGIC_V2) {
            b.appendShort((short) topicBytes.length);
        } else {
            b.appendByte((byte) topicBytes.length);
        }
        b.appendBytes(topicBytes).appendShort((short) props.length).appendBytes(props);
        b.setInt(0, b.length());
        return b;
    }

    @Test
    void decodesTheCapturedLayout() {
        Buffer r = record(MAGIC_V1, 0, 0, 0, new byte[] {127, 0, 0, 1}, "hello".getBytes(), "SpecTopic1",
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
        Buffer body = Buffer.buffer()
                .appendBuffer(record(MAGIC_V1, 0, 7, 100, new byte[] {10, 0, 0, 2}, "a".getBytes(), "T", ""))
                .appendBuffer(record(StoredMessageDecoder.MAGIC_V2, MessageSysFlag.STOREHOST_V6, 8, 200, ip6,
                        "b".getBytes(), "T", "UNIQ_KEY\u0001ID2"))
                .appendBuffer(record(MAGIC_V1, BodyCompression.ZLIB_SYS_FLAG, 9, 300, new byte[] {10, 0, 0, 2},
                        BodyCompression.compress(big), "T", ""));
        List<TernMessage> ms = StoredMessageDecoder.decodeAll(body, "b");
        assertEquals(3, ms.size());
        assertEquals("a", ms.get(0).body().toString());
        assertEquals(7, ms.get(0).queueOffset());
        assertEquals(ms.get(0).offsetMsgId(), ms.get(0).msgId(), "no UNIQ_KEY: the offset id");
        assertEquals(56, ms.get(1).offsetMsgId().length());
        assertEquals("ID2", ms.get(1).msgId());
        assertEquals(200, ms.get(1).receipt().commitLogOffset());
        assertEquals(Buffer.buffer(big), ms.get(2).body());
    }
}

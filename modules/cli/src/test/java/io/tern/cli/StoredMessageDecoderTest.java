package io.tern.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.tern.common.message.MessageProperties;
import io.tern.common.message.StoredRecordLayout;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.zip.Deflater;
import org.junit.jupiter.api.Test;

class StoredMessageDecoderTest {

    /** One record with IPv4 hosts, encoded by the layout's owner (v2 when the topic passes 127 bytes). */
    static byte[] record(int sysFlag, byte[] body, String topic, Map<String, String> props) {
        ByteBuffer r = StoredRecordLayout.encode(topic.getBytes(StandardCharsets.UTF_8), 3, 0, sysFlag,
                1_700_000_000_000L, new byte[] {10, 0, 0, 2}, 40000, 1_700_000_000_100L, new byte[] {127, 0, 0, 1},
                20911, 1, 0, ByteBuffer.wrap(body), MessageProperties.encode(props).getBytes(StandardCharsets.UTF_8));
        StoredRecordLayout.stamp(r, 7, 760, 1_700_000_000_100L);
        return r.array();
    }

    @Test
    void decodesEveryFieldAndTheOffsetMsgId() {
        byte[] bytes = record(0, "hello".getBytes(StandardCharsets.UTF_8),
                "SpecTopic1", Map.of("KEYS", "key1", "TAGS", "TagA"));
        List<StoredMessage> all = StoredMessageDecoder.decodeAll(bytes);
        assertEquals(1, all.size());
        StoredMessage m = all.get(0);
        assertEquals("SpecTopic1", m.topic());
        assertEquals(3, m.queueId());
        assertEquals(7, m.queueOffset());
        assertEquals(760, m.physicalOffset());
        assertEquals("10.0.0.2:40000", m.bornHost());
        assertEquals("127.0.0.1:20911", m.storeHost());
        assertEquals(1_700_000_000_100L, m.storeTimestamp());
        assertEquals(1, m.reconsumeTimes());
        assertEquals("hello", new String(m.body(), StandardCharsets.UTF_8));
        assertEquals("key1", m.properties().get("KEYS"));
        // the example of spec 5.4.1
        assertEquals("7F000001000051AF00000000000002F8", m.offsetMsgId());
        assertEquals(m.offsetMsgId(), m.msgId(), "no UNIQ_KEY: the offset id is the msg id");
    }

    @Test
    void decodesConcatenatedRecordsZlibBodiesAndV2TopicLengths() {
        byte[] plain = "a body worth compressing, a body worth compressing".getBytes(StandardCharsets.UTF_8);
        Deflater deflater = new Deflater(Deflater.BEST_COMPRESSION);
        deflater.setInput(plain);
        deflater.finish();
        ByteArrayOutputStream zipped = new ByteArrayOutputStream();
        byte[] chunk = new byte[256];
        while (!deflater.finished()) {
            zipped.write(chunk, 0, deflater.deflate(chunk));
        }
        deflater.end();
        byte[] first = record(0x1, zipped.toByteArray(), "Z", Map.of("UNIQ_KEY", "U1"));
        String v2Topic = "%RETRY%" + "v".repeat(130);
        byte[] second = record(0, new byte[] {'x'}, v2Topic, Map.of());
        ByteBuffer both = ByteBuffer.allocate(first.length + second.length).put(first).put(second);

        List<StoredMessage> all = StoredMessageDecoder.decodeAll(both.array());
        assertEquals(2, all.size());
        assertEquals(new String(plain, StandardCharsets.UTF_8), new String(all.get(0).body(), StandardCharsets.UTF_8));
        assertNull(all.get(0).bodyNote());
        assertEquals("U1", all.get(0).msgId());
        assertEquals(v2Topic, all.get(1).topic());
        assertEquals("x", new String(all.get(1).body(), StandardCharsets.UTF_8));
    }

    @Test
    void stopsAtATruncatedRecord() {
        byte[] bytes = record(0, new byte[] {1}, "T", Map.of());
        byte[] truncated = java.util.Arrays.copyOf(bytes, bytes.length - 3);
        assertEquals(0, StoredMessageDecoder.decodeAll(truncated).size());
        assertEquals(0, StoredMessageDecoder.decodeAll(null).size());
    }
}

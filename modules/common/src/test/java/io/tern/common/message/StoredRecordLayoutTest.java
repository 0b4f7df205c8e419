package io.tern.common.message;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class StoredRecordLayoutTest {
    static final byte[] LOCALHOST = {127, 0, 0, 1};
    /** The properties of the record captured in spec 5.3 (its UNIQ_KEY is an IPv6 client's, 56 hex digits). */
    static final String CAPTURED_PROPERTIES = "KEYS\u0001key1\u0002UNIQ_KEY\u0001FD00" + "0".repeat(48) + "0000"
            + "\u0002CLUSTER\u0001DefaultCluster\u0002TAGS\u0001TagA";

    /** The PULL_MESSAGE body captured from a 4.9.7 broker (spec 5.3), up to its properties. */
    static final String CAPTURED_HEAD = "000000d6" + "daa320a7" + "3610a686" + "00000001" + "00000000"
            + "0000000000000000" + "0000000000000000" + "00000000" + "000001a1fd5052ac"
            + "7f000001" + "0000ed34" + "000001a1fd505397" + "7f000001" + "000051af" + "00000000"
            + "0000000000000000" + "00000005" + "68656c6c6f" + "0a" + "53706563546f70696331" + "006c";

    static ByteBuffer encodeCaptured() {
        return StoredRecordLayout.encode("SpecTopic1".getBytes(StandardCharsets.UTF_8), 1, 0, 0, 0x1a1fd5052acL,
                LOCALHOST, 60724, 0x1a1fd505397L, LOCALHOST, 20911, 0, 0,
                ByteBuffer.wrap("hello".getBytes(StandardCharsets.UTF_8)),
                CAPTURED_PROPERTIES.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void encodesTheCapturedRecordByteForByte() {
        byte[] head = HexFormat.of().parseHex(CAPTURED_HEAD);
        byte[] props = CAPTURED_PROPERTIES.getBytes(StandardCharsets.UTF_8);
        ByteBuffer expected = ByteBuffer.allocate(head.length + props.length).put(head).put(props);
        assertEquals(214, expected.capacity());
        ByteBuffer encoded = encodeCaptured();
        assertArrayEquals(expected.array(), bytes(encoded));
    }

    @Test
    void viewReadsEveryFieldOfTheCapturedRecord() {
        ByteBuffer log = ByteBuffer.allocate(1000);
        log.put(300, encodeCaptured(), 0, 214);
        StoredRecordLayout.View v = new StoredRecordLayout.View();
        assertTrue(v.wrap(log, 300, 1000));
        assertEquals(300, v.start());
        assertEquals(214, v.totalSize());
        assertEquals(StoredRecordLayout.MAGIC_V1, v.magic());
        assertEquals(0x3610a686, v.bodyCrc());
        assertEquals(v.bodyCrc(), v.computeBodyCrc());
        assertEquals(1, v.queueId());
        assertEquals(0, v.flag());
        assertEquals(0x1a1fd5052acL, v.bornTimestamp());
        assertArrayEquals(LOCALHOST, v.bornHostAddress());
        assertEquals(60724, v.bornHostPort());
        assertEquals(0x1a1fd505397L, v.storeTimestamp());
        assertArrayEquals(LOCALHOST, v.storeHostAddress());
        assertEquals(20911, v.storeHostPort());
        assertEquals(0, v.reconsumeTimes());
        assertEquals(0, v.preparedTransactionOffset());
        assertEquals(300 + 88, v.bodyOffset());
        assertEquals("hello", StandardCharsets.UTF_8.decode(v.body()).toString());
        assertEquals("SpecTopic1", v.topic());
        assertEquals(108, v.propertiesLength());
        assertEquals(CAPTURED_PROPERTIES, v.properties());
    }

    @Test
    void stampWritesTheAppendersFieldsWhereViewsReadThem() {
        ByteBuffer r = encodeCaptured();
        StoredRecordLayout.stamp(r, 42, 4096, 1234L);
        StoredRecordLayout.View v = new StoredRecordLayout.View();
        assertTrue(v.wrap(r, 0, r.limit()));
        assertEquals(42, v.queueOffset());
        assertEquals(4096, v.physicalOffset());
        assertEquals(1234L, v.storeTimestamp());
        assertEquals(0x1a1fd5052acL, v.bornTimestamp(), "neighbours untouched");
        assertEquals(LOCALHOST.length, v.storeHostAddress().length);
    }

    @Test
    void ipv6HostsSetTheirFlagsAndMoveEveryLaterField() {
        byte[] born6 = new byte[16];
        born6[15] = 7;
        byte[] store6 = new byte[16];
        store6[0] = (byte) 0xfe;
        ByteBuffer r = StoredRecordLayout.encode(bytes("T6"), 3, 9, MessageSysFlag.COMPRESSED, 11L, born6, 1000,
                22L, store6, 2000, 4, 77L, ByteBuffer.wrap(bytes("body")), bytes("A\u0001b"));
        StoredRecordLayout.View v = new StoredRecordLayout.View();
        assertTrue(v.wrap(r, 0, r.limit()));
        assertEquals(MessageSysFlag.COMPRESSED | MessageSysFlag.BORNHOST_V6 | MessageSysFlag.STOREHOST_V6,
                v.sysFlag());
        assertEquals(StoredRecordLayout.MIN_RECORD_BYTES + 12 + 12 + 4 + 2 + 3, v.totalSize());
        assertArrayEquals(born6, v.bornHostAddress());
        assertEquals(1000, v.bornHostPort());
        assertEquals(22L, v.storeTimestamp());
        assertArrayEquals(store6, v.storeHostAddress());
        assertEquals(2000, v.storeHostPort());
        assertEquals(4, v.reconsumeTimes());
        assertEquals(77L, v.preparedTransactionOffset());
        assertEquals("body", StandardCharsets.UTF_8.decode(v.body()).toString());
        assertEquals("T6", v.topic());
        assertEquals("A\u0001b", v.properties());

        ByteBuffer back4 = StoredRecordLayout.encode(bytes("T6"), 3, 9, v.sysFlag(), 11L, LOCALHOST, 1000, 22L,
                LOCALHOST, 2000, 4, 77L, v.body(), bytes(""));
        assertEquals(MessageSysFlag.COMPRESSED, StoredRecordLayout.sysFlag(back4), "IPv4 addresses clear the bits");
    }

    @Test
    void topicsOver127BytesGetTheV2MagicAndATwoByteLength() {
        String t127 = "t".repeat(127);
        String t128 = "t".repeat(128);
        String t300 = "%RETRY%" + "g".repeat(293);
        StoredRecordLayout.View v = new StoredRecordLayout.View();
        for (String topic : new String[] {t127, t128, t300}) {
            ByteBuffer r = StoredRecordLayout.encode(bytes(topic), 0, 0, 0, 1L, LOCALHOST, 1, 2L, LOCALHOST, 2, 0, 0,
                    ByteBuffer.wrap(bytes("x")), bytes("K\u0001v"));
            boolean v2 = topic.length() > 127;
            assertEquals(v2 ? StoredRecordLayout.MAGIC_V2 : StoredRecordLayout.MAGIC_V1,
                    r.getInt(StoredRecordLayout.MAGIC_OFFSET), topic.length() + " bytes");
            int topicLengthAt = StoredRecordLayout.bodyLengthOffset(0) + 4 + 1;
            int length = v2 ? r.getShort(topicLengthAt) : r.get(topicLengthAt);
            assertEquals(topic.length(), length);
            assertEquals(StoredRecordLayout.MIN_RECORD_BYTES + 1 + topic.length() + 3 + (v2 ? 1 : 0), r.limit());
            assertTrue(v.wrap(r, 0, r.limit()));
            assertEquals(topic, v.topic());
            assertEquals("K\u0001v", v.properties());
        }
    }

    @Test
    void wrapRefusesWhatIsNotAWholeRecord() {
        ByteBuffer r = encodeCaptured();
        StoredRecordLayout.View v = new StoredRecordLayout.View();
        assertFalse(v.wrap(r, 0, 213), "cut short");
        assertFalse(v.wrap(ByteBuffer.allocate(300), 0, 300), "zeros");
        ByteBuffer blank = ByteBuffer.allocate(300).putInt(0, 300).putInt(4, StoredRecordLayout.BLANK_MAGIC);
        assertFalse(v.wrap(blank, 0, 300), "end-of-segment blank");
        ByteBuffer badBody = copy(r).putInt(StoredRecordLayout.bodyLengthOffset(0), 6);
        assertFalse(v.wrap(badBody, 0, 214), "body length past the topic");
        ByteBuffer badProps = copy(r);
        badProps.putShort(214 - 108 - 2, (short) 107);
        assertFalse(v.wrap(badProps, 0, 214), "properties short of TOTAL");
        ByteBuffer v2Magic = copy(r).putInt(StoredRecordLayout.MAGIC_OFFSET, StoredRecordLayout.MAGIC_V2);
        assertFalse(v.wrap(v2Magic, 0, 214), "a v1 record read with a 2-byte topic length does not add up");
        assertTrue(v.wrap(r, 0, 214));
    }

    @Test
    void encodeRefusesWhatNoRecordCanHold() {
        ByteBuffer body = ByteBuffer.allocate(0);
        assertThrows(IllegalArgumentException.class, () -> StoredRecordLayout.encode(new byte[0], 0, 0, 0, 0,
                LOCALHOST, 0, 0, LOCALHOST, 0, 0, 0, body, new byte[0]));
        assertThrows(IllegalArgumentException.class, () -> StoredRecordLayout.encode(bytes("T"), 0, 0, 0, 0,
                new byte[5], 0, 0, LOCALHOST, 0, 0, 0, body, new byte[0]));
        assertThrows(IllegalArgumentException.class, () -> StoredRecordLayout.encode(bytes("T"), 0, 0, 0, 0,
                LOCALHOST, 0, 0, LOCALHOST, 0, 0, 0, body, new byte[Short.MAX_VALUE + 1]));
    }

    @Test
    void aRecordEncodedAroundItsBodyIsWrittenAsTheSameBytesAsEncode() {
        byte[] ipv6 = new byte[16];
        ipv6[15] = 9;
        byte[] frame = new byte[5000];
        for (int i = 0; i < frame.length; i++) {
            frame[i] = (byte) (i * 31);
        }
        ByteBuffer direct = ByteBuffer.allocateDirect(700).put(frame, 100, 700).flip();
        ByteBuffer[] bodies = {
            ByteBuffer.wrap(frame, 1234, 3000).slice(), // a body in the middle of a request frame
            ByteBuffer.wrap(frame, 17, 400), // position not zero
            ByteBuffer.allocate(0),
            direct,
        };
        String[] topics = {"T", "t".repeat(127), "%RETRY%" + "g".repeat(200)};
        StoredRecordLayout.View v = new StoredRecordLayout.View();
        for (ByteBuffer body : bodies) {
            for (String topic : topics) {
                for (byte[] host : new byte[][] {LOCALHOST, ipv6}) {
                    int position = body.position();
                    ByteBuffer whole = StoredRecordLayout.encode(bytes(topic), 3, 5, MessageSysFlag.MULTI_TAGS, 11L,
                            host, 1000, 22L, LOCALHOST, 2000, 4, 77L, body, bytes(CAPTURED_PROPERTIES));
                    StoredRecordLayout.Split split = StoredRecordLayout.encodeAround(bytes(topic), 3, 5,
                            MessageSysFlag.MULTI_TAGS, 11L, host, 1000, 22L, LOCALHOST, 2000, 4, 77L, body,
                            bytes(CAPTURED_PROPERTIES));
                    assertEquals(whole.remaining(), split.totalBytes());
                    assertEquals(StoredRecordLayout.sysFlag(whole), StoredRecordLayout.sysFlag(split.fixed()));
                    StoredRecordLayout.stamp(whole, 8, 4096 + 300, 33L);
                    StoredRecordLayout.stamp(split.fixed(), 8, 4096 + 300, 33L);

                    ByteBuffer log = ByteBuffer.allocate(300 + split.totalBytes() + 300);
                    split.writeTo(log, 300);
                    assertArrayEquals(bytes(whole), bytes(log.slice(300, split.totalBytes())),
                            body.remaining() + "-byte body, " + topic.length() + "-byte topic");
                    assertEquals(0, log.position(), "absolute writes only");
                    assertEquals(0, log.get(299));
                    assertEquals(0, log.get(300 + split.totalBytes()));
                    assertTrue(v.wrap(log, 300, log.limit()));
                    assertEquals(v.bodyCrc(), v.computeBodyCrc());
                    assertEquals(position, body.position(), "the caller's body is read in place, not consumed");
                }
            }
        }
    }

    @Test
    void aSplitRecordKeepsAViewOfTheBodyNotACopy() {
        byte[] frame = bytes("....hello....");
        StoredRecordLayout.Split split = StoredRecordLayout.encodeAround(bytes("T"), 0, 0, 0, 1L, LOCALHOST, 1, 2L,
                LOCALHOST, 2, 0, 0, ByteBuffer.wrap(frame, 4, 5), bytes(""));
        assertEquals(split.totalBytes() - 5, split.fixed().remaining(), "head and trailer only");
        frame[4] = 'j';
        ByteBuffer out = ByteBuffer.allocate(split.totalBytes());
        split.writeTo(out, 0);
        StoredRecordLayout.View v = new StoredRecordLayout.View();
        assertTrue(v.wrap(out, 0, out.limit()));
        assertEquals("jello", StandardCharsets.UTF_8.decode(v.body()).toString(),
                "the body is read when written, which is why callers must leave it alone until then");
    }

    @Test
    void encodeAroundRefusesWhatEncodeRefuses() {
        ByteBuffer body = ByteBuffer.allocate(0);
        assertThrows(IllegalArgumentException.class, () -> StoredRecordLayout.encodeAround(new byte[0], 0, 0, 0, 0,
                LOCALHOST, 0, 0, LOCALHOST, 0, 0, 0, body, new byte[0]));
        assertThrows(IllegalArgumentException.class, () -> StoredRecordLayout.encodeAround(bytes("T"), 0, 0, 0, 0,
                LOCALHOST, 0, 0, new byte[5], 0, 0, 0, body, new byte[0]));
        assertThrows(IllegalArgumentException.class, () -> StoredRecordLayout.encodeAround(bytes("T"), 0, 0, 0, 0,
                LOCALHOST, 0, 0, LOCALHOST, 0, 0, 0, body, new byte[Short.MAX_VALUE + 1]));
    }

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static byte[] bytes(ByteBuffer b) {
        byte[] out = new byte[b.remaining()];
        b.duplicate().get(out);
        return out;
    }

    static ByteBuffer copy(ByteBuffer b) {
        return ByteBuffer.wrap(bytes(b));
    }
}

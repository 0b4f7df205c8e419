package io.tern.common.message;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;

/**
 * RocketMQ's stored message record (spec 5.3), the one owner of its layout. The commit log holds these records
 * back to back, and PULL_MESSAGE, VIEW_MESSAGE_BY_ID, QUERY_MESSAGE and CHECK_TRANSACTION_STATE bodies carry them
 * as they are, so the store, the broker, the client and the CLI all write them with {@link #encode} (the store's
 * appends with {@link #encodeAround}, the same bytes with the body left where it is until the writer copies it)
 * and read them with a {@link View}; none of them knows an offset of its own.
 *
 * <pre>
 *  0        4        8        12       16       20                28                36       40
 *  +--------+--------+--------+--------+--------+-----------------+-----------------+--------+-----------------+
 *  |TOTAL   |MAGIC   |BODYCRC |QUEUEID |FLAG    |QUEUEOFFSET      |PHYSICALOFFSET   |SYSFLAG |BORNTIMESTAMP    |
 *  +--------+--------+--------+--------+--------+-----------------+-----------------+--------+-----------------+
 *  48                           48+B             56+B
 *  +----------------------------+----------------+----------------------------+
 *  |BORNHOST ip 4|16, port 4    |STORETIMESTAMP  |STOREHOST ip 4|16, port 4   |
 *  +----------------------------+----------------+----------------------------+
 *  56+B+S          60+B+S             68+B+S     72+B+S
 *  +---------------+------------------+----------+--------+---------+--------+----------+------------+
 *  |RECONSUMETIMES |PREPARED TX OFFSET|BODY len 4|BODY n   |TOPIC len|TOPIC t |PROPS len 2|PROPERTIES p|
 *  +---------------+------------------+----------+--------+---------+--------+----------+------------+
 *
 *  B = 20 when SYSFLAG has BORNHOST_V6 (0x10), else 8;   S = 20 when SYSFLAG has STOREHOST_V6 (0x20), else 8
 *  TOPIC len: 1 signed byte under MAGIC v1 0xDAA320A7; 2 bytes (signed short) under v2 0xDAA320AB, which is
 *             written only for topics longer than 127 bytes (4.9 clients always read one byte)
 *  BODYCRC = CRC32(stored body) &amp; 0x7FFFFFFF; PROPS len is a signed short
 *  TOTAL = 72 + B + S + n + (1|2) + t + 2 + p
 *
 *  End-of-segment blank: TOTAL = bytes left in the segment, MAGIC = 0xCBD43194, nothing else.
 * </pre>
 *
 * <p>Stateless and thread-safe; a {@link View} is not (one per reading thread, reusable record after record), nor
 * is a {@link Split}.
 */
public final class StoredRecordLayout {
    public static final int MAGIC_V1 = 0xDAA320A7;
    public static final int MAGIC_V2 = 0xDAA320AB;
    public static final int BLANK_MAGIC = 0xCBD43194;
    /** TOTAL + MAGIC of the end-of-segment blank marker. */
    public static final int BLANK_MARKER_BYTES = 8;

    public static final int TOTAL_SIZE_OFFSET = 0;
    public static final int MAGIC_OFFSET = 4;
    public static final int BODY_CRC_OFFSET = 8;
    public static final int QUEUE_ID_OFFSET = 12;
    public static final int FLAG_OFFSET = 16;
    public static final int QUEUE_OFFSET_OFFSET = 20;
    public static final int PHYSICAL_OFFSET_OFFSET = 28;
    public static final int SYS_FLAG_OFFSET = 36;
    public static final int BORN_TIMESTAMP_OFFSET = 40;
    public static final int BORN_HOST_OFFSET = 48;

    /** An IPv4 host: 4-byte address and 4-byte port. */
    public static final int IPV4_HOST_BYTES = 8;
    /** An IPv6 host: 16-byte address and 4-byte port. */
    public static final int IPV6_HOST_BYTES = 20;
    /** A v1 record with IPv4 hosts, empty body, topic and properties: what no record can be shorter than. */
    public static final int MIN_RECORD_BYTES = BORN_HOST_OFFSET + IPV4_HOST_BYTES + 8 + IPV4_HOST_BYTES + 4 + 8 + 4
            + 1 + 2;
    /** The longest topic a v1 record (one signed length byte) can hold. */
    public static final int MAX_V1_TOPIC_BYTES = Byte.MAX_VALUE;
    /** The longest topic the v2 length (a signed short) can hold. */
    public static final int MAX_TOPIC_BYTES = Short.MAX_VALUE;
    public static final int MAX_PROPERTIES_BYTES = Short.MAX_VALUE;

    private StoredRecordLayout() {
    }

    public static int bornHostBytes(int sysFlag) {
        return (sysFlag & MessageSysFlag.BORNHOST_V6) != 0 ? IPV6_HOST_BYTES : IPV4_HOST_BYTES;
    }

    public static int storeHostBytes(int sysFlag) {
        return (sysFlag & MessageSysFlag.STOREHOST_V6) != 0 ? IPV6_HOST_BYTES : IPV4_HOST_BYTES;
    }

    public static int storeTimestampOffset(int sysFlag) {
        return BORN_HOST_OFFSET + bornHostBytes(sysFlag);
    }

    public static int storeHostOffset(int sysFlag) {
        return storeTimestampOffset(sysFlag) + 8;
    }

    public static int reconsumeTimesOffset(int sysFlag) {
        return storeHostOffset(sysFlag) + storeHostBytes(sysFlag);
    }

    public static int preparedTransactionOffsetOffset(int sysFlag) {
        return reconsumeTimesOffset(sysFlag) + 4;
    }

    public static int bodyLengthOffset(int sysFlag) {
        return preparedTransactionOffsetOffset(sysFlag) + 8;
    }

    /** Whether {@code magic} starts a message record (v1 or v2), as opposed to a blank marker or garbage. */
    public static boolean isRecordMagic(int magic) {
        return magic == MAGIC_V1 || magic == MAGIC_V2;
    }

    /** Bytes of the topic length field under {@code magic}. */
    public static int topicLengthBytes(int magic) {
        return magic == MAGIC_V2 ? 2 : 1;
    }

    /** v1 whenever the topic fits one length byte, as the reference writes it. */
    public static int magicFor(int topicBytes) {
        return topicBytes > MAX_V1_TOPIC_BYTES ? MAGIC_V2 : MAGIC_V1;
    }

    /** The whole record's length for these address sizes (4 or 16) and field lengths. */
    public static int recordBytes(int bornAddressBytes, int storeAddressBytes, int bodyBytes, int topicBytes,
                                  int propertiesBytes) {
        return BORN_HOST_OFFSET + bornAddressBytes + 4 + 8 + storeAddressBytes + 4 + 4 + 8 + 4 + bodyBytes
                + topicLengthBytes(magicFor(topicBytes)) + topicBytes + 2 + propertiesBytes;
    }

    /**
     * Encodes one record with QUEUEOFFSET and PHYSICALOFFSET still zero (the writer {@link #stamp}s them). The
     * BORNHOST_V6 / STOREHOST_V6 bits of {@code sysFlag} are set from the address lengths, so the record always
     * parses back; the magic follows the topic length ({@link #magicFor}). Reads {@code body} from its position to
     * its limit without moving them.
     *
     * @throws IllegalArgumentException for an empty or over-long topic, over-long properties or an address that
     *                                  is neither 4 nor 16 bytes (callers that answer with a status check first)
     */
    public static ByteBuffer encode(byte[] topic, int queueId, int flag, int sysFlag, long bornTimestamp,
                                    byte[] bornAddress, int bornPort, long storeTimestamp, byte[] storeAddress,
                                    int storePort, int reconsumeTimes, long preparedTransactionOffset,
                                    ByteBuffer body, byte[] properties) {
        checkFields(topic, properties, bornAddress, storeAddress);
        int total = recordBytes(bornAddress.length, storeAddress.length, body.remaining(), topic.length,
                properties.length);
        ByteBuffer b = ByteBuffer.allocate(total);
        putHead(b, total, topic, queueId, flag, sysFlag, bornTimestamp, bornAddress, bornPort, storeTimestamp,
                storeAddress, storePort, reconsumeTimes, preparedTransactionOffset, body);
        b.put(body.duplicate());
        putTrailer(b, topic, properties);
        b.flip();
        return b;
    }

    /**
     * The same record as {@link #encode}, without copying the body: the head and trailer are encoded into one
     * small buffer and the body is kept as a read-only view, to be copied once, by the writer, straight to where
     * the record is stored ({@link Split#writeTo}). The body's bytes must therefore stay unchanged until then.
     *
     * @throws IllegalArgumentException as {@link #encode}
     */
    public static Split encodeAround(byte[] topic, int queueId, int flag, int sysFlag, long bornTimestamp,
                                     byte[] bornAddress, int bornPort, long storeTimestamp, byte[] storeAddress,
                                     int storePort, int reconsumeTimes, long preparedTransactionOffset,
                                     ByteBuffer body, byte[] properties) {
        checkFields(topic, properties, bornAddress, storeAddress);
        int bodyBytes = body.remaining();
        int total = recordBytes(bornAddress.length, storeAddress.length, bodyBytes, topic.length,
                properties.length);
        ByteBuffer fixed = ByteBuffer.allocate(total - bodyBytes);
        putHead(fixed, total, topic, queueId, flag, sysFlag, bornTimestamp, bornAddress, bornPort, storeTimestamp,
                storeAddress, storePort, reconsumeTimes, preparedTransactionOffset, body);
        int headBytes = fixed.position();
        putTrailer(fixed, topic, properties);
        fixed.flip();
        return new Split(fixed, headBytes, body.asReadOnlyBuffer());
    }

    private static void checkFields(byte[] topic, byte[] properties, byte[] bornAddress, byte[] storeAddress) {
        if (topic.length == 0 || topic.length > MAX_TOPIC_BYTES) {
            throw new IllegalArgumentException("topic of " + topic.length + " bytes");
        }
        if (properties.length > MAX_PROPERTIES_BYTES) {
            throw new IllegalArgumentException("properties of " + properties.length + " bytes");
        }
        if (!isAddress(bornAddress) || !isAddress(storeAddress)) {
            throw new IllegalArgumentException("host address must be 4 or 16 bytes");
        }
    }

    /** TOTAL up to and including BODY len, at {@code b}'s position. */
    private static void putHead(ByteBuffer b, int total, byte[] topic, int queueId, int flag, int sysFlag,
                                long bornTimestamp, byte[] bornAddress, int bornPort, long storeTimestamp,
                                byte[] storeAddress, int storePort, int reconsumeTimes,
                                long preparedTransactionOffset, ByteBuffer body) {
        int flags = bornAddress.length == 16 ? sysFlag | MessageSysFlag.BORNHOST_V6
                : sysFlag & ~MessageSysFlag.BORNHOST_V6;
        flags = storeAddress.length == 16 ? flags | MessageSysFlag.STOREHOST_V6 : flags & ~MessageSysFlag.STOREHOST_V6;
        b.putInt(total).putInt(magicFor(topic.length)).putInt(bodyCrc(body)).putInt(queueId).putInt(flag)
                .putLong(0).putLong(0).putInt(flags).putLong(bornTimestamp)
                .put(bornAddress).putInt(bornPort)
                .putLong(storeTimestamp)
                .put(storeAddress).putInt(storePort)
                .putInt(reconsumeTimes).putLong(preparedTransactionOffset)
                .putInt(body.remaining());
    }

    /** TOPIC len up to the end of PROPERTIES, at {@code b}'s position. */
    private static void putTrailer(ByteBuffer b, byte[] topic, byte[] properties) {
        if (magicFor(topic.length) == MAGIC_V2) {
            b.putShort((short) topic.length);
        } else {
            b.put((byte) topic.length);
        }
        b.put(topic).putShort((short) properties.length).put(properties);
    }

    /** Writes the three fields only the appender knows into a record that starts at index 0 of {@code record}. */
    public static void stamp(ByteBuffer record, long queueOffset, long physicalOffset, long storeTimestamp) {
        record.putLong(QUEUE_OFFSET_OFFSET, queueOffset);
        record.putLong(PHYSICAL_OFFSET_OFFSET, physicalOffset);
        record.putLong(storeTimestampOffset(record.getInt(SYS_FLAG_OFFSET)), storeTimestamp);
    }

    /** SYSFLAG of the record starting at index 0 of {@code record}. */
    public static int sysFlag(ByteBuffer record) {
        return record.getInt(SYS_FLAG_OFFSET);
    }

    /** BODYCRC of the bytes from the buffer's position to its limit. */
    public static int bodyCrc(ByteBuffer body) {
        CRC32 crc = new CRC32();
        crc.update(body.duplicate());
        return (int) (crc.getValue() & 0x7FFFFFFF);
    }

    private static boolean isAddress(byte[] address) {
        return address.length == 4 || address.length == 16;
    }

    /**
     * One record from {@link #encodeAround}: its head (TOTAL … BODY len) and trailer (TOPIC len … PROPERTIES) in
     * one heap buffer, its body a read-only view of the caller's bytes. The fixed buffer starts with the record's
     * first byte, so {@link #stamp} and {@link #sysFlag} work on it as on a whole record.
     *
     * <pre>
     *  fixed: |TOTAL … BODY len (headBytes)|TOPIC len … PROPERTIES|      body: |BODY n|
     *  stored:|TOTAL … BODY len|BODY n|TOPIC len … PROPERTIES|
     * </pre>
     *
     * <p>Not thread-safe: built by the caller, then handed (through a queue) to the one thread that writes it.
     */
    public static final class Split {
        private final ByteBuffer fixed;
        private final int headBytes;
        private final ByteBuffer body;
        private final int totalBytes;

        private Split(ByteBuffer fixed, int headBytes, ByteBuffer body) {
            this.fixed = fixed;
            this.headBytes = headBytes;
            this.body = body;
            this.totalBytes = fixed.remaining() + body.remaining();
        }

        /** Head and trailer, index 0 being the record's TOTAL; the writer stamps the offsets in here. */
        public ByteBuffer fixed() {
            return fixed;
        }

        /** TOTAL of the record. */
        public int totalBytes() {
            return totalBytes;
        }

        /**
         * Copies the whole record to {@code dst} from index {@code at} (absolute puts; positions untouched). TOTAL
         * goes last, after every byte it covers: a copy cut short leaves a zero size where the record starts.
         */
        public void writeTo(ByteBuffer dst, int at) {
            int bodyBytes = body.remaining();
            int trailerAt = at + headBytes + bodyBytes;
            dst.put(at + MAGIC_OFFSET, fixed, MAGIC_OFFSET, headBytes - MAGIC_OFFSET);
            dst.put(at + headBytes, body, body.position(), bodyBytes);
            dst.put(trailerAt, fixed, headBytes, fixed.limit() - headBytes);
            dst.putInt(at + TOTAL_SIZE_OFFSET, fixed.getInt(TOTAL_SIZE_OFFSET));
        }
    }

    /**
     * A flyweight over one record in a buffer: {@link #wrap} checks that the record is whole and its lengths add
     * up, and remembers where its variable part lies; the getters then read fields in place. Positions are
     * absolute indexes into the wrapped buffer. Nothing is copied until a getter returns bytes or a string.
     *
     * <p>Not thread-safe; reuse one per thread to walk many records without allocating.
     */
    public static final class View {
        private ByteBuffer buf;
        private int at;
        private int total;
        private int sysFlag;
        private int bodyLengthAt;
        private int topicAt;
        private int topicLength;
        private int propertiesLengthAt;

        /**
         * Points this view at the record starting at {@code at} and checks it: at least {@link #MIN_RECORD_BYTES},
         * within {@code limit}, a v1 or v2 magic, a non-empty topic, and body, topic and properties lengths that end
         * exactly at TOTAL. Returns false (the view is then unusable) for anything else: a blank marker, a torn or
         * truncated record, zeros, garbage.
         */
        public boolean wrap(ByteBuffer buf, int at, int limit) {
            this.buf = null;
            if (limit - at < MIN_RECORD_BYTES) {
                return false;
            }
            int size = buf.getInt(at + TOTAL_SIZE_OFFSET);
            int magic = buf.getInt(at + MAGIC_OFFSET);
            if (size < MIN_RECORD_BYTES || size > limit - at || !isRecordMagic(magic)) {
                return false;
            }
            int end = at + size;
            int flags = buf.getInt(at + SYS_FLAG_OFFSET);
            int bodyLenAt = at + bodyLengthOffset(flags);
            if (bodyLenAt + 4 > end) {
                return false;
            }
            int bodyLen = buf.getInt(bodyLenAt);
            int topicLenAt = bodyLenAt + 4 + bodyLen;
            int topicLenBytes = topicLengthBytes(magic);
            if (bodyLen < 0 || topicLenAt + topicLenBytes > end) {
                return false;
            }
            int topicLen = magic == MAGIC_V2 ? buf.getShort(topicLenAt) : buf.get(topicLenAt);
            int propsLenAt = topicLenAt + topicLenBytes + topicLen;
            if (topicLen <= 0 || propsLenAt + 2 > end) {
                return false;
            }
            int propsLen = buf.getShort(propsLenAt);
            if (propsLen < 0 || propsLenAt + 2 + propsLen != end) {
                return false;
            }
            this.buf = buf;
            this.at = at;
            this.total = size;
            this.sysFlag = flags;
            this.bodyLengthAt = bodyLenAt;
            this.topicAt = topicLenAt + topicLenBytes;
            this.topicLength = topicLen;
            this.propertiesLengthAt = propsLenAt;
            return true;
        }

        /** Index of the record's first byte in the wrapped buffer. */
        public int start() {
            return at;
        }

        public int totalSize() {
            return total;
        }

        public int magic() {
            return buf.getInt(at + MAGIC_OFFSET);
        }

        public int bodyCrc() {
            return buf.getInt(at + BODY_CRC_OFFSET);
        }

        public int queueId() {
            return buf.getInt(at + QUEUE_ID_OFFSET);
        }

        public int flag() {
            return buf.getInt(at + FLAG_OFFSET);
        }

        public long queueOffset() {
            return buf.getLong(at + QUEUE_OFFSET_OFFSET);
        }

        public long physicalOffset() {
            return buf.getLong(at + PHYSICAL_OFFSET_OFFSET);
        }

        public int sysFlag() {
            return sysFlag;
        }

        public long bornTimestamp() {
            return buf.getLong(at + BORN_TIMESTAMP_OFFSET);
        }

        public byte[] bornHostAddress() {
            return bytes(at + BORN_HOST_OFFSET, bornHostBytes(sysFlag) - 4);
        }

        public int bornHostPort() {
            return buf.getInt(at + storeTimestampOffset(sysFlag) - 4);
        }

        public long storeTimestamp() {
            return buf.getLong(at + storeTimestampOffset(sysFlag));
        }

        public byte[] storeHostAddress() {
            return bytes(at + storeHostOffset(sysFlag), storeHostBytes(sysFlag) - 4);
        }

        public int storeHostPort() {
            return buf.getInt(at + reconsumeTimesOffset(sysFlag) - 4);
        }

        public int reconsumeTimes() {
            return buf.getInt(at + reconsumeTimesOffset(sysFlag));
        }

        public long preparedTransactionOffset() {
            return buf.getLong(at + preparedTransactionOffsetOffset(sysFlag));
        }

        /** Index of the stored body's first byte. */
        public int bodyOffset() {
            return bodyLengthAt + 4;
        }

        public int bodyLength() {
            return buf.getInt(bodyLengthAt);
        }

        /** The stored body as a view of the wrapped buffer (no copy). */
        public ByteBuffer body() {
            return buf.slice(bodyOffset(), bodyLength());
        }

        /** BODYCRC recomputed over the stored body. */
        public int computeBodyCrc() {
            return StoredRecordLayout.bodyCrc(body());
        }

        public int topicLength() {
            return topicLength;
        }

        public String topic() {
            return utf8(topicAt, topicLength);
        }

        public int propertiesLength() {
            return buf.getShort(propertiesLengthAt);
        }

        /** The properties string (spec 5.1.2). */
        public String properties() {
            return utf8(propertiesLengthAt + 2, propertiesLength());
        }

        private byte[] bytes(int from, int length) {
            byte[] out = new byte[length];
            buf.get(from, out);
            return out;
        }

        private String utf8(int from, int length) {
            if (length == 0) {
                return "";
            }
            if (buf.hasArray()) {
                return new String(buf.array(), buf.arrayOffset() + from, length, StandardCharsets.UTF_8);
            }
            return new String(bytes(from, length), StandardCharsets.UTF_8);
        }
    }
}

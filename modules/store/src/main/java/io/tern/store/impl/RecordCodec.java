package io.tern.store.impl;

import io.tern.common.message.MessageConst;
import io.tern.common.message.MessageProperties;
import io.tern.common.message.MessageSysFlag;
import io.tern.store.StoreMessage;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;

/**
 * Encodes and checks stored records in RocketMQ's v1 layout (spec 5.3), the format of the commit log and of
 * every message the broker sends on the wire.
 *
 * <pre>
 *  0        4        8        12       16       20                28                36       40
 *  +--------+--------+--------+--------+--------+-----------------+-----------------+--------+----------------+
 *  |TOTAL   |MAGIC   |BODYCRC |QUEUEID |FLAG    |QUEUEOFFSET      |PHYSICALOFFSET   |SYSFLAG |BORNTIMESTAMP   |
 *  +--------+--------+--------+--------+--------+-----------------+-----------------+--------+----------------+
 *  48: BORNHOST (4-byte IPv4 + 4-byte port, or 16 + 4 when SYSFLAG has BORNHOST_V6)
 *  then STORETIMESTAMP (8), STOREHOST (8 or 20, STOREHOST_V6), RECONSUMETIMES (4), PREPARED TX OFFSET (8),
 *  BODY length (4) + body, TOPIC length (1, signed) + topic, PROPERTIES length (2, signed) + properties.
 *
 *  End-of-segment blank: TOTALSIZE = bytes left in the segment, MAGIC = 0xCBD43194, rest ignored.
 * </pre>
 *
 * <p>Stateless and thread-safe. {@link #encode} runs in the caller's thread so the writer only patches the
 * three fields it assigns (queue offset, physical offset, store time) and copies.
 */
public final class RecordCodec {
    public static final int MAGIC_V1 = 0xDAA320A7;
    public static final int BLANK_MAGIC = 0xCBD43194;
    /** TOTALSIZE + MAGIC of the end-of-segment blank marker. */
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

    /** Every fixed-size field with both hosts in IPv4 form, plus the three length prefixes. */
    public static final int MIN_RECORD_BYTES = 4 + 4 + 4 + 4 + 4 + 8 + 8 + 4 + 8 + 8 + 8 + 8 + 4 + 8 + 4 + 1 + 2;
    public static final int MAX_TOPIC_BYTES = 127;
    public static final int MAX_PROPERTIES_BYTES = Short.MAX_VALUE;

    private static final byte[] ZERO_IPV4 = new byte[4];

    private RecordCodec() {
    }

    /** Thrown by {@link #encode} for a message the store must refuse; carries the put status to answer. */
    public static final class InvalidMessageException extends Exception {
        public final boolean propertiesTooLong;

        InvalidMessageException(String message, boolean propertiesTooLong) {
            super(message, null, false, false);
            this.propertiesTooLong = propertiesTooLong;
        }
    }

    public static int hostBytes(int sysFlag, int v6Bit) {
        return (sysFlag & v6Bit) != 0 ? 20 : 8;
    }

    public static int storeTimestampOffset(int sysFlag) {
        return BORN_HOST_OFFSET + hostBytes(sysFlag, MessageSysFlag.BORNHOST_V6);
    }

    /** Encodes a message with queue offset, physical offset and (unless preset) store time still zero. */
    public static ByteBuffer encode(StoreMessage m, int maxMessageBytes) throws InvalidMessageException {
        if (m.topic == null || m.topic.isEmpty()) {
            throw new InvalidMessageException("topic is empty", false);
        }
        byte[] topic = m.topic.getBytes(StandardCharsets.UTF_8);
        if (topic.length > MAX_TOPIC_BYTES) {
            throw new InvalidMessageException("topic longer than " + MAX_TOPIC_BYTES + " bytes: " + topic.length,
                    false);
        }
        ByteBuffer body = m.body == null ? ByteBuffer.allocate(0) : m.body.duplicate();
        int bodyBytes = body.remaining();
        if (bodyBytes > maxMessageBytes) {
            throw new InvalidMessageException("message body " + bodyBytes + " bytes exceeds maxMessageBytes "
                    + maxMessageBytes, false);
        }
        byte[] props = m.properties == null ? new byte[0] : m.properties.getBytes(StandardCharsets.UTF_8);
        if (props.length > MAX_PROPERTIES_BYTES) {
            throw new InvalidMessageException("properties " + props.length + " bytes exceed " + MAX_PROPERTIES_BYTES,
                    true);
        }
        byte[] bornHost = m.bornHostAddress == null ? ZERO_IPV4 : m.bornHostAddress;
        byte[] storeHost = m.storeHostAddress == null ? ZERO_IPV4 : m.storeHostAddress;
        if ((bornHost.length != 4 && bornHost.length != 16) || (storeHost.length != 4 && storeHost.length != 16)) {
            throw new InvalidMessageException("host address must be 4 or 16 bytes", false);
        }
        // the address form decides the flag, so a record can always be parsed back
        int sysFlag = m.sysFlag;
        sysFlag = bornHost.length == 16 ? sysFlag | MessageSysFlag.BORNHOST_V6 : sysFlag & ~MessageSysFlag.BORNHOST_V6;
        sysFlag = storeHost.length == 16 ? sysFlag | MessageSysFlag.STOREHOST_V6
                : sysFlag & ~MessageSysFlag.STOREHOST_V6;

        int total = MIN_RECORD_BYTES - 16 + bornHost.length + 4 + storeHost.length + 4 + bodyBytes + topic.length
                + props.length;
        ByteBuffer b = ByteBuffer.allocate(total);
        b.putInt(total).putInt(MAGIC_V1).putInt(bodyCrc(body)).putInt(m.queueId).putInt(m.flag)
                .putLong(0).putLong(0).putInt(sysFlag).putLong(m.bornTimestamp)
                .put(bornHost).putInt(m.bornHostPort)
                .putLong(m.storeTimestamp)
                .put(storeHost).putInt(m.storeHostPort)
                .putInt(m.reconsumeTimes).putLong(m.preparedTransactionOffset)
                .putInt(bodyBytes).put(body)
                .put((byte) topic.length).put(topic)
                .putShort((short) props.length).put(props);
        b.flip();
        return b;
    }

    /** Writes the fields only the writer knows into an encoded record. */
    public static void patch(ByteBuffer record, long queueOffset, long physicalOffset, long storeTimestamp) {
        record.putLong(QUEUE_OFFSET_OFFSET, queueOffset);
        record.putLong(PHYSICAL_OFFSET_OFFSET, physicalOffset);
        record.putLong(storeTimestampOffset(record.getInt(SYS_FLAG_OFFSET)), storeTimestamp);
    }

    public static int bodyCrc(ByteBuffer body) {
        CRC32 crc = new CRC32();
        crc.update(body.duplicate());
        return (int) (crc.getValue() & 0x7FFFFFFF);
    }

    public static boolean isDispatchedType(int sysFlag) {
        int tx = MessageSysFlag.transactionType(sysFlag);
        return tx == MessageSysFlag.TRANSACTION_NOT_TYPE || tx == MessageSysFlag.TRANSACTION_COMMIT_TYPE;
    }

    /**
     * Parses and checks the record at {@code pos} of {@code buf} whose physical offset is {@code physicalOffset}.
     * Returns null when the bytes there are not a whole, consistent record (torn tail, garbage, zeros).
     * Every length field must add up to TOTALSIZE and PHYSICALOFFSET must name this very position, so stale or
     * random bytes are not taken for a record; the body CRC and NUL-free topic and properties catch pages that
     * never reached the disk.
     */
    public static DispatchRecord parse(ByteBuffer buf, int pos, int limit, long physicalOffset, boolean checkCrc) {
        return parse(buf, pos, limit, physicalOffset, checkCrc, null);
    }

    static DispatchRecord parse(ByteBuffer buf, int pos, int limit, long physicalOffset, boolean checkCrc,
                                DelayLevels delays) {
        if (limit - pos < MIN_RECORD_BYTES) {
            return null;
        }
        int total = buf.getInt(pos + TOTAL_SIZE_OFFSET);
        if (total < MIN_RECORD_BYTES || total > limit - pos || buf.getInt(pos + MAGIC_OFFSET) != MAGIC_V1) {
            return null;
        }
        if (buf.getLong(pos + PHYSICAL_OFFSET_OFFSET) != physicalOffset) {
            return null;
        }
        int sysFlag = buf.getInt(pos + SYS_FLAG_OFFSET);
        int bornHost = hostBytes(sysFlag, MessageSysFlag.BORNHOST_V6);
        int storeHost = hostBytes(sysFlag, MessageSysFlag.STOREHOST_V6);
        int storeTsAt = pos + BORN_HOST_OFFSET + bornHost;
        int bodyLenAt = storeTsAt + 8 + storeHost + 4 + 8;
        if (bodyLenAt + 4 > pos + total) {
            return null;
        }
        int bodyLen = buf.getInt(bodyLenAt);
        int topicLenAt = bodyLenAt + 4 + bodyLen;
        if (bodyLen < 0 || topicLenAt + 1 > pos + total) {
            return null;
        }
        int topicLen = buf.get(topicLenAt);
        int propsLenAt = topicLenAt + 1 + topicLen;
        if (topicLen <= 0 || propsLenAt + 2 > pos + total) {
            return null;
        }
        int propsLen = buf.getShort(propsLenAt);
        if (propsLen < 0 || propsLenAt + 2 + propsLen != pos + total) {
            return null;
        }
        if (checkCrc && buf.getInt(pos + BODY_CRC_OFFSET) != bodyCrc(buf.slice(bodyLenAt + 4, bodyLen))) {
            return null;
        }
        String topic = string(buf, topicLenAt + 1, topicLen);
        String props = string(buf, propsLenAt + 2, propsLen);
        // a page lost in a power cut reads back as zeros; no topic or properties string holds a NUL
        if (topic == null || props == null) {
            return null;
        }
        long storeTs = buf.getLong(storeTsAt);
        return new DispatchRecord(topic, buf.getInt(pos + QUEUE_ID_OFFSET), buf.getLong(pos + QUEUE_OFFSET_OFFSET),
                physicalOffset, total, tagsCodeOf(topic, props, storeTs, delays), storeTs, sysFlag,
                MessageProperties.get(props, MessageConst.KEYS), MessageProperties.get(props, MessageConst.UNIQ_KEY));
    }

    /**
     * Tag code of a record read back from the log (recovery); live dispatch uses the broker's
     * {@link StoreMessage#tagsCode}. As in the reference, a SCHEDULE_TOPIC_XXXX entry holds its delivery time.
     */
    static long tagsCodeOf(String topic, String props, long storeTimestamp, DelayLevels delays) {
        if (delays != null && DelayLevels.SCHEDULE_TOPIC.equals(topic)) {
            String level = MessageProperties.get(props, MessageConst.DELAY_TIME_LEVEL);
            if (level != null) {
                try {
                    return delays.deliverTimestamp(Integer.parseInt(level.trim()), storeTimestamp);
                } catch (NumberFormatException ignored) {
                    // not a level: falls through to the tag hash
                }
            }
        }
        String tags = MessageProperties.get(props, MessageConst.TAGS);
        return tags == null || tags.isEmpty() ? 0L : tags.hashCode();
    }

    /** The UTF-8 string at {@code at}, or null when it contains a NUL byte. */
    private static String string(ByteBuffer buf, int at, int len) {
        byte[] bytes = new byte[len];
        buf.get(at, bytes);
        for (byte b : bytes) {
            if (b == 0) {
                return null;
            }
        }
        return new String(bytes, StandardCharsets.UTF_8);
    }
}

package io.tern.store.impl;

import io.tern.common.message.MessageConst;
import io.tern.common.message.MessageProperties;
import io.tern.common.message.MessageSysFlag;
import io.tern.common.message.StoredRecordLayout;
import io.tern.common.protocol.SystemNames;
import io.tern.store.StoreMessage;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * The store's use of the stored-record layout, which {@link StoredRecordLayout} owns: what the store refuses to
 * append, and what recovery takes for a record when it walks the log.
 *
 * <p>Topics: up to 127 bytes (a v1 record), and like the reference (5.x) up to {@link #MAX_RETRY_TOPIC_BYTES} for
 * {@code %RETRY%} topics, whose group part may be long; those get the v2 layout with its 2-byte topic length.
 *
 * <p>Stateless and thread-safe. {@link #encode} runs in the caller's thread so the writer only stamps the
 * three fields it assigns (queue offset, physical offset, store time) and copies. It encodes around the body
 * ({@link StoredRecordLayout#encodeAround}): the body is copied once, by the writer, into the mapped log, so a
 * message in flight is held on the heap once (as the caller's bytes), not twice.
 */
public final class RecordCodec {
    /** The longest retry topic the reference stores (a consume-queue directory name must fit in 255 bytes). */
    public static final int MAX_RETRY_TOPIC_BYTES = 255;

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

    /**
     * Encodes a message with queue offset, physical offset and (unless preset) store time still zero. The record
     * refers to {@code m.body}'s bytes, which must stay unchanged until the writer has copied them.
     */
    public static StoredRecordLayout.Split encode(StoreMessage m, int maxMessageBytes) throws InvalidMessageException {
        if (m.topic == null || m.topic.isEmpty()) {
            throw new InvalidMessageException("topic is empty", false);
        }
        byte[] topic = m.topic.getBytes(StandardCharsets.UTF_8);
        int maxTopic = m.topic.startsWith(SystemNames.RETRY_GROUP_TOPIC_PREFIX) ? MAX_RETRY_TOPIC_BYTES
                : StoredRecordLayout.MAX_V1_TOPIC_BYTES;
        if (topic.length > maxTopic) {
            throw new InvalidMessageException("topic longer than " + maxTopic + " bytes: " + topic.length, false);
        }
        ByteBuffer body = m.body == null ? ByteBuffer.allocate(0) : m.body;
        int bodyBytes = body.remaining();
        if (bodyBytes > maxMessageBytes) {
            throw new InvalidMessageException("message body " + bodyBytes + " bytes exceeds maxMessageBytes "
                    + maxMessageBytes, false);
        }
        byte[] props = m.properties == null ? new byte[0] : m.properties.getBytes(StandardCharsets.UTF_8);
        if (props.length > StoredRecordLayout.MAX_PROPERTIES_BYTES) {
            throw new InvalidMessageException("properties " + props.length + " bytes exceed "
                    + StoredRecordLayout.MAX_PROPERTIES_BYTES, true);
        }
        byte[] bornHost = m.bornHostAddress == null ? ZERO_IPV4 : m.bornHostAddress;
        byte[] storeHost = m.storeHostAddress == null ? ZERO_IPV4 : m.storeHostAddress;
        if ((bornHost.length != 4 && bornHost.length != 16) || (storeHost.length != 4 && storeHost.length != 16)) {
            throw new InvalidMessageException("host address must be 4 or 16 bytes", false);
        }
        return StoredRecordLayout.encodeAround(topic, m.queueId, m.flag, m.sysFlag, m.bornTimestamp, bornHost,
                m.bornHostPort, m.storeTimestamp, storeHost, m.storeHostPort, m.reconsumeTimes,
                m.preparedTransactionOffset, body, props);
    }

    /** Writes the fields only the writer knows into an encoded record. */
    public static void patch(ByteBuffer record, long queueOffset, long physicalOffset, long storeTimestamp) {
        StoredRecordLayout.stamp(record, queueOffset, physicalOffset, storeTimestamp);
    }

    public static boolean isDispatchedType(int sysFlag) {
        int tx = MessageSysFlag.transactionType(sysFlag);
        return tx == MessageSysFlag.TRANSACTION_NOT_TYPE || tx == MessageSysFlag.TRANSACTION_COMMIT_TYPE;
    }

    /**
     * Parses and checks the record at {@code pos} of {@code buf} whose physical offset is {@code physicalOffset}.
     * Returns null when the bytes there are not a whole, consistent record (torn tail, garbage, zeros).
     */
    public static DispatchRecord parse(ByteBuffer buf, int pos, int limit, long physicalOffset, boolean checkCrc) {
        return parse(new StoredRecordLayout.View(), buf, pos, limit, physicalOffset, checkCrc, null);
    }

    /**
     * {@link #parse} through a reused view. Besides the layout's own checks, PHYSICALOFFSET must name this very
     * position, so stale or random bytes are not taken for a record; the body CRC (when asked) and NUL-free topic
     * and properties catch pages that never reached the disk.
     */
    static DispatchRecord parse(StoredRecordLayout.View view, ByteBuffer buf, int pos, int limit,
                                long physicalOffset, boolean checkCrc, DelayLevels delays) {
        if (!view.wrap(buf, pos, limit) || view.physicalOffset() != physicalOffset) {
            return null;
        }
        if (checkCrc && view.bodyCrc() != view.computeBodyCrc()) {
            return null;
        }
        String topic = view.topic();
        String props = view.properties();
        // a page lost in a power cut reads back as zeros; no topic or properties string holds a NUL
        if (topic.indexOf('\0') >= 0 || props.indexOf('\0') >= 0) {
            return null;
        }
        long storeTs = view.storeTimestamp();
        return new DispatchRecord(topic, view.queueId(), view.queueOffset(), physicalOffset, view.totalSize(),
                tagsCodeOf(topic, props, storeTs, delays), storeTs, view.sysFlag(),
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
}

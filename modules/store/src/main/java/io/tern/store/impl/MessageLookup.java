package io.tern.store.impl;

import io.tern.common.message.MessageConst;
import io.tern.common.message.MessageProperties;
import io.tern.common.message.MessageSysFlag;
import io.tern.store.QueryResult;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Reads single records by commit-log offset (VIEW_MESSAGE_BY_ID, store times) and answers index queries.
 * Only dispatched records are visible, so under SYNC_FLUSH nothing past the flushed offset is ever returned.
 *
 * <p>Thread-safe, lock-free; called from event loops.
 */
final class MessageLookup {
    private final CommitLog commitLog;
    private final Dispatcher dispatcher;
    private final IndexService index;

    MessageLookup(CommitLog commitLog, Dispatcher dispatcher, IndexService index) {
        this.commitLog = commitLog;
        this.dispatcher = dispatcher;
        this.index = index;
    }

    /** The record starting exactly at {@code offset}, or null (not a record start, deleted, not yet visible). */
    ByteBuffer messageAt(long offset) {
        long visibleEnd = dispatcher.dispatchedOffset();
        MappedSegment s = commitLog.segmentFor(offset);
        if (s == null || offset >= visibleEnd) {
            return null;
        }
        ByteBuffer b = s.buffer();
        int pos = (int) (offset - s.startOffset());
        if (s.sizeBytes() - pos < RecordCodec.MIN_RECORD_BYTES) {
            return null;
        }
        int size = b.getInt(pos + RecordCodec.TOTAL_SIZE_OFFSET);
        if (size < RecordCodec.MIN_RECORD_BYTES || size > s.sizeBytes() - pos || offset + size > visibleEnd
                || b.getInt(pos + RecordCodec.MAGIC_OFFSET) != RecordCodec.MAGIC_V1
                || b.getLong(pos + RecordCodec.PHYSICAL_OFFSET_OFFSET) != offset) {
            return null;
        }
        return s.view(pos, size);
    }

    /** STORETIMESTAMP of the record at {@code offset}, or -1 when its segment is gone. */
    long storeTimeAt(long offset) {
        MappedSegment s = commitLog.segmentFor(offset);
        if (s == null) {
            return -1;
        }
        ByteBuffer b = s.buffer();
        int pos = (int) (offset - s.startOffset());
        int sysFlag = b.getInt(pos + RecordCodec.SYS_FLAG_OFFSET);
        return b.getLong(pos + RecordCodec.storeTimestampOffset(sysFlag));
    }

    QueryResult query(String topic, String key, int maxNum, long beginMs, long endMs) {
        if (index == null) {
            return new QueryResult(List.of(), 0, 0);
        }
        // the index may hold an offset twice after a crash; collisions and reused offsets are filtered by key
        Set<Long> offsets = new LinkedHashSet<>(index.query(topic, key, maxNum * 2, beginMs, endMs));
        List<ByteBuffer> found = new ArrayList<>();
        for (long off : offsets) {
            if (found.size() >= maxNum) {
                break;
            }
            ByteBuffer rec = messageAt(off);
            if (rec != null && hasKey(rec, topic, key)) {
                found.add(rec);
            }
        }
        return new QueryResult(found, index.lastUpdateTimestamp(), index.lastUpdatePhyOffset());
    }

    private static boolean hasKey(ByteBuffer rec, String topic, String key) {
        int sysFlag = rec.getInt(RecordCodec.SYS_FLAG_OFFSET);
        int bodyLenAt = RecordCodec.storeTimestampOffset(sysFlag) + 8
                + RecordCodec.hostBytes(sysFlag, MessageSysFlag.STOREHOST_V6) + 4 + 8;
        int topicLenAt = bodyLenAt + 4 + rec.getInt(bodyLenAt);
        int topicLen = rec.get(topicLenAt);
        byte[] t = new byte[topicLen];
        rec.get(topicLenAt + 1, t);
        if (!topic.equals(new String(t, StandardCharsets.UTF_8))) {
            return false;
        }
        int propsLenAt = topicLenAt + 1 + topicLen;
        byte[] p = new byte[rec.getShort(propsLenAt)];
        rec.get(propsLenAt + 2, p);
        String props = new String(p, StandardCharsets.UTF_8);
        if (key.equals(MessageProperties.get(props, MessageConst.UNIQ_KEY))) {
            return true;
        }
        String keys = MessageProperties.get(props, MessageConst.KEYS);
        if (keys != null) {
            for (String k : keys.split(" ")) {
                if (k.equals(key)) {
                    return true;
                }
            }
        }
        return false;
    }
}

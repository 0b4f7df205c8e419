package io.tern.store.impl;

import io.tern.common.message.MessageConst;
import io.tern.common.message.MessageProperties;
import io.tern.common.message.StoredRecordLayout;
import io.tern.store.QueryResult;

import java.nio.ByteBuffer;
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
        if (s.sizeBytes() - pos < StoredRecordLayout.MIN_RECORD_BYTES) {
            return null;
        }
        int size = b.getInt(pos + StoredRecordLayout.TOTAL_SIZE_OFFSET);
        if (size < StoredRecordLayout.MIN_RECORD_BYTES || size > s.sizeBytes() - pos || offset + size > visibleEnd
                || !StoredRecordLayout.isRecordMagic(b.getInt(pos + StoredRecordLayout.MAGIC_OFFSET))
                || b.getLong(pos + StoredRecordLayout.PHYSICAL_OFFSET_OFFSET) != offset) {
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
        int sysFlag = b.getInt(pos + StoredRecordLayout.SYS_FLAG_OFFSET);
        return b.getLong(pos + StoredRecordLayout.storeTimestampOffset(sysFlag));
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
        StoredRecordLayout.View view = new StoredRecordLayout.View();
        if (!view.wrap(rec, rec.position(), rec.limit()) || !topic.equals(view.topic())) {
            return false;
        }
        String props = view.properties();
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

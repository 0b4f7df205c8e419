package io.tern.store.impl;

import io.tern.store.GetResult;
import io.tern.store.GetResult.GetStatus;
import io.tern.store.MessageFilter;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * Pull-side reads of a consume queue: {@link #get} with RocketMQ's status and next-offset rules (spec 3.4.1
 * step 6), time search, store times. Entries are read from the mapped queue files and records returned as
 * read-only views of the mapped commit log, so nothing is copied and the heap does not grow with the backlog.
 *
 * <p>Thread-safe, lock-free; called from event loops.
 */
final class ConsumeQueueReader {
    /** A pull examines at most this many bytes of entries (or maxMsgNums entries, whichever is more). */
    static final int MAX_EXAMINED_ENTRY_BYTES = 16_000;

    private final ConsumeQueueTable queues;
    private final CommitLog commitLog;
    private final MessageLookup lookup;

    ConsumeQueueReader(ConsumeQueueTable queues, CommitLog commitLog, MessageLookup lookup) {
        this.queues = queues;
        this.commitLog = commitLog;
        this.lookup = lookup;
    }

    GetResult get(String topic, int queueId, long offset, int maxMsgNums, int maxBytes, MessageFilter filter) {
        ConsumeQueue cq = queues.find(topic, queueId);
        if (cq == null) {
            return empty(GetStatus.NO_MATCHED_LOGIC_QUEUE, 0, 0, 0);
        }
        long max = cq.maxOffset();
        long min = cq.minOffset();
        if (max == 0) {
            return empty(GetStatus.NO_MESSAGE_IN_QUEUE, 0, min, max);
        }
        if (offset < min) {
            return empty(GetStatus.OFFSET_TOO_SMALL, min, min, max);
        }
        if (offset == max) {
            return empty(GetStatus.OFFSET_OVERFLOW_ONE, offset, min, max);
        }
        if (offset > max) {
            return empty(GetStatus.OFFSET_OVERFLOW_BADLY, max, min, max);
        }
        MessageFilter f = filter == null ? MessageFilter.ALL : filter;
        int examineLimit = Math.max(MAX_EXAMINED_ENTRY_BYTES / ConsumeQueue.ENTRY_BYTES, maxMsgNums);
        long end = Math.min(max, offset + examineLimit);
        long minPhysical = commitLog.minOffset();
        List<ByteBuffer> found = new ArrayList<>(Math.min(maxMsgNums, 32));
        int totalBytes = 0;
        boolean removing = false;
        long i = offset;
        for (; i < end && found.size() < maxMsgNums; i++) {
            MappedSegment file = cq.fileFor(i);
            if (file == null) {
                removing = true;
                continue;
            }
            ByteBuffer b = file.buffer();
            int pos = ConsumeQueue.posOf(file, i);
            long phy = b.getLong(pos + ConsumeQueue.PHYSICAL_OFFSET_AT);
            int size = b.getInt(pos + ConsumeQueue.SIZE_AT);
            long tagsCode = b.getLong(pos + ConsumeQueue.TAGS_CODE_AT);
            if (size <= 0) {
                continue;
            }
            if (phy < minPhysical) {
                removing = true;
                continue;
            }
            if (!f.matchesTagsCode(tagsCode)) {
                continue;
            }
            ByteBuffer rec = commitLog.view(phy, size);
            if (rec == null) {
                removing = true;
                continue;
            }
            if (!f.matchesRecord(rec.duplicate())) {
                continue;
            }
            if (!found.isEmpty() && totalBytes + size > maxBytes) {
                break;
            }
            found.add(rec);
            totalBytes += size;
        }
        GetStatus status = !found.isEmpty() ? GetStatus.FOUND
                : removing ? GetStatus.MESSAGE_WAS_REMOVING : GetStatus.NO_MATCHED_MESSAGE;
        return new GetResult(status, i, min, max, found, totalBytes);
    }

    private static GetResult empty(GetStatus status, long next, long min, long max) {
        return new GetResult(status, next, min, max, List.of(), 0);
    }

    /** Store time of the entry at {@code queueOffset}, or -1. */
    long storeTime(String topic, int queueId, long queueOffset) {
        ConsumeQueue cq = queues.find(topic, queueId);
        if (cq == null || queueOffset < cq.minOffset() || queueOffset >= cq.maxOffset()) {
            return -1;
        }
        MappedSegment file = cq.fileFor(queueOffset);
        if (file == null) {
            return -1;
        }
        long phy = file.buffer().getLong(ConsumeQueue.posOf(file, queueOffset));
        return phy < commitLog.minOffset() ? -1 : lookup.storeTimeAt(phy);
    }

    long earliestMessageTime(String topic, int queueId) {
        ConsumeQueue cq = queues.find(topic, queueId);
        return cq == null ? -1 : storeTime(topic, queueId, cq.minOffset());
    }

    /**
     * The boundary of {@code timestamp} in the queue (RocketMQ 5's "lower" boundary): the offset of the first entry
     * stored at or after it; the queue's end (max offset) when every entry is earlier, so a reset to a time after
     * the last message re-delivers nothing; 0 for an empty or unknown queue. Store times never decrease along a
     * queue (one writer stamps them in append order); entries whose record has left the commit log count as
     * earlier than any time.
     */
    long offsetByTime(String topic, int queueId, long timestamp) {
        ConsumeQueue cq = queues.find(topic, queueId);
        if (cq == null) {
            return 0;
        }
        // invariant: every entry before lo is earlier than timestamp; the entry at hi (or the end) is not
        long lo = cq.minOffset();
        long hi = cq.maxOffset();
        while (lo < hi) {
            long mid = (lo + hi) >>> 1;
            if (storeTime(topic, queueId, mid) < timestamp) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }
}

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
     * Offset whose store time equals {@code timestamp}, else the nearer of its two neighbours; the first entry
     * when all are later, the last when all are earlier; 0 for an empty or unknown queue.
     */
    long offsetByTime(String topic, int queueId, long timestamp) {
        ConsumeQueue cq = queues.find(topic, queueId);
        if (cq == null || cq.maxOffset() == 0) {
            return 0;
        }
        long lo = cq.minOffset();
        long hi = cq.maxOffset() - 1;
        if (lo > hi) {
            return lo;
        }
        long loTime = storeTime(topic, queueId, lo);
        if (timestamp <= loTime) {
            return lo;
        }
        long hiTime = storeTime(topic, queueId, hi);
        if (timestamp >= hiTime) {
            return hi;
        }
        // invariant: time(lo) < timestamp < time(hi)
        while (hi - lo > 1) {
            long mid = (lo + hi) >>> 1;
            long t = storeTime(topic, queueId, mid);
            if (t == timestamp) {
                // the first of equal times, like the reference
                while (mid > lo + 1 && storeTime(topic, queueId, mid - 1) == timestamp) {
                    mid--;
                }
                return mid;
            } else if (t < timestamp) {
                lo = mid;
                loTime = t;
            } else {
                hi = mid;
                hiTime = t;
            }
        }
        return timestamp - loTime <= hiTime - timestamp ? lo : hi;
    }
}

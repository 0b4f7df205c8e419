package io.tern.store.impl;

import io.tern.common.message.StoredRecordLayout;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.List;

/**
 * Brings the commit log, consume queues and index back to one consistent end at start.
 *
 * <ol>
 *   <li>Walk the commit log record by record from a position known to be good: the checkpointed flushed offset
 *   after a clean stop (so a clean restart reads next to nothing), the lowest checkpointed position after a crash
 *   (abort file present), the first segment when there is no usable checkpoint. Each record must be
 *   self-consistent and name its own offset, and with checkCrcOnRecover its body CRC must match. The first one
 *   that is not ends the log.</li>
 *   <li>Truncate there: the rest of that segment is zeroed, later segments deleted.</li>
 *   <li>Truncate consume-queue entries pointing past the end; drop index files that reach past it.</li>
 *   <li>Re-dispatch the records from the re-dispatch point: entries a queue already has are skipped, so this
 *   only fills what the crash lost.</li>
 * </ol>
 *
 * <p>Not thread-safe; runs once in {@code start()} before any store thread exists.
 */
final class Recovery {
    private static final Logger log = LoggerFactory.getLogger(Recovery.class);

    private final CommitLog commitLog;
    private final ConsumeQueueTable queues;
    private final IndexService index;
    private final Dispatcher dispatcher;
    private final boolean checkCrc;
    private final DelayLevels delays;

    /** Outcome, for logs and tests. */
    record Result(long endOffset, long walkedFrom, long redispatchedFrom, long redispatchedRecords) {
    }

    Recovery(CommitLog commitLog, ConsumeQueueTable queues, IndexService index, Dispatcher dispatcher,
             boolean checkCrc, DelayLevels delays) {
        this.delays = delays;
        this.commitLog = commitLog;
        this.queues = queues;
        this.index = index;
        this.dispatcher = dispatcher;
        this.checkCrc = checkCrc;
    }

    Result run(boolean crashed, Checkpoint cp) throws IOException {
        long min = commitLog.minOffset();
        MappedSegment[] segs = commitLog.segments();
        long max = segs.length == 0 ? min : segs[segs.length - 1].endOffset();
        boolean trustCheckpoint = cp != null && segs.length > 0;
        long walkFrom;
        if (!trustCheckpoint) {
            walkFrom = min;
        } else if (crashed) {
            walkFrom = clamp(cp.safeRedispatchOffset(), min, max);
        } else {
            walkFrom = clamp(cp.commitLogOffset(), min, max);
        }
        long walked = walk(walkFrom, checkCrc, null);
        if (walked == walkFrom && trustCheckpoint) {
            long boundary = recordBoundaryAtOrBelow(walkFrom, min);
            if (boundary != walkFrom) {
                log.warn("recovery: no record starts at the checkpointed offset {} (a replica's log may end inside a "
                        + "record); checking from {}", walkFrom, boundary);
                walkFrom = boundary;
                walked = walk(walkFrom, checkCrc, null);
            }
        }
        long end = walked;
        log.info("recovery ({}): commit log checked from {} to {}", crashed ? "after a crash" : "clean stop",
                walkFrom, end);
        commitLog.truncate(end, crashed || !trustCheckpoint);
        for (ConsumeQueue cq : queues.all()) {
            cq.truncateBeyond(end);
            cq.correctMinOffset(commitLog.minOffset());
        }
        long redispatchFrom = crashed || !trustCheckpoint ? walkFrom : end;
        if (index != null) {
            long indexFrom = index.dropFrom(end);
            if (indexFrom >= 0) {
                redispatchFrom = Math.min(redispatchFrom, Math.max(indexFrom, commitLog.minOffset()));
            }
        }
        long[] count = new long[1];
        long reached = walk(redispatchFrom, false, r -> {
            if (r.endOffset() <= end) {
                dispatcher.dispatch(r, false);
                count[0]++;
            }
        });
        if (reached < end) {
            log.warn("recovery: re-dispatch stopped at {} before the end {}", reached, end);
        }
        if (count[0] > 0) {
            log.info("recovery: re-dispatched {} records from {}", count[0], redispatchFrom);
        }
        commitLog.setRecoveredEnd(end);
        return new Result(end, walkFrom, redispatchFrom, count[0]);
    }

    /**
     * A record boundary at or below {@code walkFrom}, for when no record starts there. On a slave the checkpointed
     * offsets can lie inside a record: replicated bytes arrive in frames that cut records, and both the flushed
     * and the dispatched offset follow the frames. The consume queues know where whole records end: the latest
     * such end at or below {@code walkFrom} is a boundary (records without an entry after it are walked again).
     * Without one, the start of the segment holding {@code walkFrom}, also a boundary.
     */
    private long recordBoundaryAtOrBelow(long walkFrom, long min) {
        List<ConsumeQueue> all = queues.all();
        for (ConsumeQueue cq : all) {
            if (cq.lastRecordEnd() == walkFrom) {
                return walkFrom; // the usual clean stop: the log's last record has an entry; one read per queue
            }
        }
        long best = -1;
        for (ConsumeQueue cq : all) {
            best = Math.max(best, cq.lastRecordEndAtOrBefore(walkFrom));
        }
        if (best < 0) {
            MappedSegment s = commitLog.segmentFor(walkFrom);
            best = s == null ? walkFrom : s.startOffset();
        }
        return Math.max(min, best);
    }

    private static long clamp(long v, long lo, long hi) {
        return Math.max(lo, Math.min(hi, v));
    }

    interface Sink {
        void accept(DispatchRecord r) throws IOException;
    }

    /** Walks records from {@code from}; returns the offset of the first position that is not a valid record. */
    long walk(long from, boolean crc, Sink sink) throws IOException {
        long pos = from;
        StoredRecordLayout.View view = new StoredRecordLayout.View();
        while (true) {
            MappedSegment s = commitLog.segmentFor(pos);
            if (s == null) {
                return pos;
            }
            int rel = (int) (pos - s.startOffset());
            var b = s.buffer();
            if (s.sizeBytes() - rel >= StoredRecordLayout.BLANK_MARKER_BYTES
                    && b.getInt(rel + StoredRecordLayout.MAGIC_OFFSET) == StoredRecordLayout.BLANK_MAGIC
                    && b.getInt(rel + StoredRecordLayout.TOTAL_SIZE_OFFSET) == s.sizeBytes() - rel) {
                pos = s.endOffset();
                continue;
            }
            DispatchRecord r = RecordCodec.parse(view, b, rel, s.sizeBytes(), pos, crc, delays);
            if (r == null) {
                return pos;
            }
            if (sink != null) {
                sink.accept(r);
            }
            pos += r.sizeBytes();
        }
    }
}

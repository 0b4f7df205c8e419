package io.tern.store.impl;

import io.tern.common.message.StoredRecordLayout;
import io.tern.store.PutResult;
import io.tern.store.PutResult.PutStatus;
import io.tern.store.ReplicaLog;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * {@link ReplicaLog} over the store's commit log. Reads are views of the mapped segments. Appends and truncations
 * are requests to the store writer, so it stays the only writer: an append is copied by {@link #write} on the
 * writer thread, which also cuts the records the copy completed (a record may arrive in two appends) into
 * {@link DispatchRecord}s; the dispatcher then writes their consume-queue entries and index keys and answers the
 * append like a put, after the flush under SYNC_FLUSH.
 *
 * <p>Thread contract: {@link #read} and the offsets from any thread; {@link #write} and the truncation run on the
 * store-writer thread, which alone owns {@code parsedOffset}.
 */
final class StoreReplicaLog implements ReplicaLog {
    private static final Logger log = LoggerFactory.getLogger(StoreReplicaLog.class);

    private final CommitLog commitLog;
    private final ConsumeQueueTable queues;
    private final IndexService index;
    private final Dispatcher dispatcher;
    private final StoreState state;
    private final StoreWriter writer;
    private final DelayLevels delays;
    /** Writer-owned: start of the first record not yet cut from appended bytes. */
    private long parsedOffset;
    /** Writer-owned flyweight for reading records back. */
    private final StoredRecordLayout.View view = new StoredRecordLayout.View();

    StoreReplicaLog(CommitLog commitLog, ConsumeQueueTable queues, IndexService index, Dispatcher dispatcher,
                    StoreState state, StoreWriter writer, DelayLevels delays) {
        this.commitLog = commitLog;
        this.queues = queues;
        this.index = index;
        this.dispatcher = dispatcher;
        this.state = state;
        this.writer = writer;
        this.delays = delays;
        this.parsedOffset = commitLog.writtenOffset();
    }

    @Override
    public int segmentBytes() {
        return commitLog.segmentBytes();
    }

    @Override
    public long minOffset() {
        return commitLog.minOffset();
    }

    @Override
    public long maxOffset() {
        return commitLog.writtenOffset();
    }

    @Override
    public long messagesAfter(long physicalOffset) {
        long n = 0;
        for (ConsumeQueue cq : queues.all()) {
            n += cq.countEndingAfter(physicalOffset);
        }
        return n;
    }

    @Override
    public ByteBuffer read(long from, int maxBytes) {
        long written = commitLog.writtenOffset();
        if (from < commitLog.minOffset()) {
            return null;
        }
        MappedSegment s = commitLog.segmentFor(from);
        if (s == null || from >= written) {
            return ByteBuffer.allocate(0);
        }
        int len = (int) Math.min(Math.min(written, s.endOffset()) - from, maxBytes);
        return s.view((int) (from - s.startOffset()), len);
    }

    @Override
    public CompletableFuture<Long> append(long physicalOffset, ByteBuffer bytes) {
        CompletableFuture<PutResult> done = new CompletableFuture<>();
        if (!state.isWritable() || !writer.submit(new AppendRequest(this, physicalOffset, bytes, done))) {
            return CompletableFuture.failedFuture(new IllegalStateException("store not writable or busy: "
                    + state.notWritableReason()));
        }
        return done.thenApply(r -> {
            if (r.status() != PutStatus.PUT_OK) {
                throw new IllegalStateException("replicated append at " + physicalOffset + " failed: " + r.remark());
            }
            return physicalOffset + r.wroteBytes();
        });
    }

    @Override
    public CompletableFuture<Long> truncate(long offset) {
        long[] end = new long[1];
        CompletableFuture<PutResult> done = new CompletableFuture<>();
        AppendRequest control = AppendRequest.control(() -> end[0] = truncateOnWriter(offset), () -> { }, done);
        if (!writer.submit(control)) {
            return CompletableFuture.failedFuture(new IllegalStateException("store busy"));
        }
        return done.thenApply(r -> end[0]);
    }

    /** Writer: copies a replicated chunk and cuts the records it completed; false (request answered) on failure. */
    boolean write(AppendRequest r) {
        if (state.hasFault()) {
            r.complete(PutResult.failure(PutStatus.SERVICE_NOT_AVAILABLE, state.notWritableReason()));
            return false;
        }
        long end = r.replicaOffset + r.totalBytes;
        try {
            if (commitLog.segments().length == 0) {
                parsedOffset = r.replicaOffset;
            }
            commitLog.writeReplicated(r.replicaOffset, r.replicaBytes);
            r.dispatch = cut(end);
        } catch (IOException | RuntimeException | InternalError e) {
            log.error("replicated append at {} failed", r.replicaOffset, e);
            r.complete(PutResult.failure(PutStatus.SERVICE_NOT_AVAILABLE, e.toString()));
            return false;
        }
        r.physicalOffsets = new long[]{r.replicaOffset};
        r.endOffset = end;
        state.putMessageCount.addAndGet(r.dispatch.length);
        return true;
    }

    /** Records that lie whole in [parsedOffset, end); a partial record waits for the next append. */
    private DispatchRecord[] cut(long end) {
        List<DispatchRecord> out = new ArrayList<>();
        long pos = parsedOffset;
        while (pos < end) {
            MappedSegment s = commitLog.segmentFor(pos);
            if (s == null) {
                break;
            }
            long next = nextRecord(s, pos, end, out);
            if (next < 0) {
                break;
            }
            pos = next;
        }
        parsedOffset = pos;
        return out.toArray(new DispatchRecord[0]);
    }

    /**
     * The offset after the record (or end-of-segment blank) at {@code pos} if it lies whole below {@code end},
     * adding the record to {@code out} when given; -1 when it is incomplete. Throws on bytes that are no record.
     */
    private long nextRecord(MappedSegment s, long pos, long end, List<DispatchRecord> out) {
        int rel = (int) (pos - s.startOffset());
        long available = Math.min(end, s.endOffset()) - pos;
        if (available < StoredRecordLayout.BLANK_MARKER_BYTES) {
            return -1;
        }
        ByteBuffer b = s.buffer();
        int total = b.getInt(rel + StoredRecordLayout.TOTAL_SIZE_OFFSET);
        if (b.getInt(rel + StoredRecordLayout.MAGIC_OFFSET) == StoredRecordLayout.BLANK_MAGIC && total == s.sizeBytes() - rel) {
            return end >= s.endOffset() ? s.endOffset() : -1;
        }
        if (total > 0 && total <= available) {
            DispatchRecord d = RecordCodec.parse(view, b, rel, rel + total, pos, false, delays);
            if (d != null) {
                if (out != null) {
                    out.add(d);
                }
                return pos + total;
            }
        }
        if (total > available && total <= s.sizeBytes() - rel) {
            return -1;
        }
        throw new IllegalStateException("no stored record at commit log offset " + pos);
    }

    /** Writer: the truncation; the dispatcher is idle (no append in flight, by contract). */
    private long truncateOnWriter(long offset) {
        try {
            long target = Math.max(commitLog.minOffset(), Math.min(offset, commitLog.writtenOffset()));
            long boundary = boundaryAtOrBelow(target);
            log.warn("replica: truncating the commit log from {} to {} (asked {})", commitLog.writtenOffset(),
                    boundary, offset);
            commitLog.truncateTail(boundary);
            for (ConsumeQueue cq : queues.all()) {
                cq.truncateBeyond(boundary);
            }
            if (index != null) {
                long reindexFrom = index.dropFrom(boundary);
                if (reindexFrom >= 0) {
                    reindex(Math.max(reindexFrom, commitLog.minOffset()), boundary);
                }
            }
            dispatcher.setRecoveredEnd(boundary);
            parsedOffset = boundary;
            writer.resetQueueOffsets(queues.maxOffsets());
            return boundary;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The start of the record holding {@code target}, or {@code target} itself when a record starts there. */
    private long boundaryAtOrBelow(long target) {
        if (target <= commitLog.minOffset()) {
            return target;
        }
        MappedSegment s = commitLog.segmentFor(target - 1);
        if (s == null) {
            return target;
        }
        long pos = s.startOffset();
        while (pos < target) {
            long next = nextRecord(s, pos, target, null);
            if (next < 0) {
                break;
            }
            pos = next;
        }
        return pos;
    }

    private void reindex(long from, long to) throws IOException {
        List<DispatchRecord> records = new ArrayList<>();
        long pos = from;
        while (pos < to) {
            MappedSegment s = commitLog.segmentFor(pos);
            if (s == null) {
                break;
            }
            long next = nextRecord(s, pos, to, records);
            if (next < 0) {
                break;
            }
            pos = next;
        }
        for (DispatchRecord d : records) {
            index.index(d);
        }
    }
}

package io.tern.store.impl;

import io.tern.common.message.StoredRecordLayout;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The commit log: an append-only sequence of {@link MappedSegment}s named by their 20-digit start offset, where
 * the physical offset of a record is its global byte position. A record never spans two segments: when one does
 * not fit with 8 bytes to spare, the rest of the segment is closed by a blank marker (see {@link StoredRecordLayout}).
 *
 * <p>Thread contract: {@link #reserve}, {@link #write} and {@link #publishWritten} are called only by the store
 * writer; {@link #flush} only by the flusher (and recovery/shutdown when no writer runs); {@link #deleteHead} by
 * housekeeping. Reads ({@link #view}, {@link #segmentFor}) are lock-free from any thread: the segment array is
 * replaced on change and published through a volatile field.
 */
public final class CommitLog {
    private static final Logger log = LoggerFactory.getLogger(CommitLog.class);

    /** After a clean stop, this many zero bytes past the end mean there is nothing more to clear. */
    static final int CLEAN_TAIL_SCAN_BYTES = 1 << 20;

    private final Path dir;
    private final int segmentBytes;
    private final SegmentAllocator allocator;
    private volatile MappedSegment[] segments = new MappedSegment[0];

    /** Writer-owned: where the next record goes. */
    private long writeOffset;
    private volatile MappedSegment current;
    private volatile long writtenOffset;
    private volatile long flushedOffset;

    CommitLog(Path dir, int segmentBytes, SegmentAllocator allocator) {
        this.dir = dir;
        this.segmentBytes = segmentBytes;
        this.allocator = allocator;
    }

    /** Maps the existing segments; their content is checked afterwards by recovery. */
    void load() throws IOException {
        Files.createDirectories(dir);
        List<Path> files;
        try (Stream<Path> s = Files.list(dir)) {
            files = s.filter(p -> p.getFileName().toString().matches("\\d{20}")).sorted().toList();
        }
        List<MappedSegment> loaded = new ArrayList<>();
        for (int i = 0; i < files.size(); i++) {
            Path f = files.get(i);
            long start = Long.parseLong(f.getFileName().toString());
            if (Files.size(f) != segmentBytes) {
                if (i == files.size() - 1 && Files.size(f) < segmentBytes) {
                    if (holdsOnlyZeros(f)) {
                        // a pre-allocation cut short by a crash; the writer never uses a segment before it is whole
                        log.warn("deleting incomplete pre-allocated commit log segment {}", f);
                        Files.delete(f);
                        continue;
                    }
                    // a log cut inside its last segment (a copy or a file system that lost the tail): the records
                    // before the cut are kept; mapping extends the file with zeros, where recovery ends the log
                    log.warn("commit log segment {} is cut short at {} bytes: extending it, recovery ends the log at"
                            + " its last whole record", f, Files.size(f));
                } else {
                    throw new IOException("commit log segment " + f + " is " + Files.size(f)
                            + " bytes, commitLogSegmentBytes is " + segmentBytes);
                }
            }
            if (!loaded.isEmpty() && loaded.get(loaded.size() - 1).endOffset() != start) {
                throw new IOException("commit log segments are not contiguous at " + f);
            }
            loaded.add(MappedSegment.open(f, start, segmentBytes, false));
        }
        segments = loaded.toArray(new MappedSegment[0]);
    }

    /** Whether a (short) file holds nothing but zeros: read once, at start, only for a cut-short last segment. */
    private static boolean holdsOnlyZeros(Path f) throws IOException {
        try (java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(f)) {
            java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(64 * 1024);
            while (ch.read(b.clear()) > 0) {
                b.flip();
                while (b.hasRemaining()) {
                    if (b.get() != 0) {
                        return false;
                    }
                }
            }
            return true;
        }
    }

    public int segmentBytes() {
        return segmentBytes;
    }

    MappedSegment[] segments() {
        return segments;
    }

    /** Segment holding {@code offset}, or null when it was deleted or never written. */
    public MappedSegment segmentFor(long offset) {
        MappedSegment[] segs = segments;
        if (segs.length == 0 || offset < segs[0].startOffset()) {
            return null;
        }
        long idx = (offset - segs[0].startOffset()) / segmentBytes;
        if (idx >= segs.length) {
            return null;
        }
        MappedSegment s = segs[(int) idx];
        return s.contains(offset) ? s : null;
    }

    /** Read-only view of the bytes of one record, or null when its segment is gone. */
    public ByteBuffer view(long offset, int sizeBytes) {
        MappedSegment s = segmentFor(offset);
        if (s == null || sizeBytes <= 0 || offset + sizeBytes > s.endOffset()) {
            return null;
        }
        return s.view((int) (offset - s.startOffset()), sizeBytes);
    }

    public long minOffset() {
        MappedSegment[] segs = segments;
        return segs.length == 0 ? writtenOffset : segs[0].startOffset();
    }

    public long writtenOffset() {
        return writtenOffset;
    }

    public long flushedOffset() {
        return flushedOffset;
    }

    /** Recovery: the log ends at {@code endOffset}; everything before it is on disk. */
    void setRecoveredEnd(long endOffset) {
        writeOffset = endOffset;
        writtenOffset = endOffset;
        flushedOffset = endOffset;
        current = segmentFor(endOffset);
    }

    /** Next segment start after the writer's current one: what housekeeping pre-allocates when retrying. */
    long nextSegmentStart() {
        MappedSegment c = current;
        long w = writtenOffset;
        return c == null ? w - w % segmentBytes : c.endOffset();
    }

    /**
     * Writer: room for {@code bytes} contiguous bytes; rolls to a new segment (blank marker first) when they do
     * not fit with 8 to spare. Throws when the new segment cannot be created; nothing is written then.
     */
    long reserve(int bytes) throws IOException {
        if (current == null || writeOffset + bytes + StoredRecordLayout.BLANK_MARKER_BYTES > current.endOffset()) {
            long nextStart = current == null ? writeOffset - writeOffset % segmentBytes : current.endOffset();
            MappedSegment next = segmentFor(nextStart);
            if (next == null) {
                next = allocator.obtain(nextStart);
                addSegment(next);
            }
            if (current != null) {
                int pos = (int) (writeOffset - current.startOffset());
                current.beforeStore(pos, pos + StoredRecordLayout.BLANK_MARKER_BYTES);
                ByteBuffer b = current.buffer();
                b.putInt(pos + StoredRecordLayout.MAGIC_OFFSET, StoredRecordLayout.BLANK_MAGIC);
                b.putInt(pos + StoredRecordLayout.TOTAL_SIZE_OFFSET, current.sizeBytes() - pos);
            }
            current = next;
            writeOffset = next.startOffset();
            allocator.prepare(next.endOffset());
        }
        long at = writeOffset;
        writeOffset += bytes;
        int pos = (int) (at - current.startOffset());
        current.beforeStore(pos, pos + bytes);
        return at;
    }

    /**
     * Writer: copies an encoded record (head, body, trailer) to {@code offset} (from {@link #reserve}). TOTALSIZE
     * goes last, so a process killed mid-copy leaves a zero size that recovery reads as the end of the log.
     */
    void write(long offset, StoredRecordLayout.Split record) {
        record.writeTo(current.buffer(), (int) (offset - current.startOffset()));
    }

    /**
     * Writer: copies bytes replicated from a master to {@code offset}, which must be the write offset, or a segment
     * start when the log holds nothing yet (a slave joining a master whose head was deleted by retention). At the
     * end of the current segment the copy moves to the next one; the master's blank marker is part of the bytes.
     */
    void writeReplicated(long offset, ByteBuffer bytes) throws IOException {
        if (segments.length == 0 && writeOffset == writtenOffset && offset % segmentBytes == 0) {
            writeOffset = offset;
        }
        if (offset != writeOffset) {
            throw new IllegalStateException("replicated bytes at " + offset + " but the log ends at " + writeOffset);
        }
        if (current == null || offset == current.endOffset()) {
            MappedSegment next = segmentFor(offset);
            if (next == null) {
                next = allocator.obtain(offset);
                addSegment(next);
            }
            current = next;
            allocator.prepare(next.endOffset());
        }
        int len = bytes.remaining();
        if (offset + len > current.endOffset()) {
            throw new IllegalStateException("replicated bytes " + offset + "+" + len + " cross the segment end "
                    + current.endOffset());
        }
        int pos = (int) (offset - current.startOffset());
        current.beforeStore(pos, pos + len);
        current.buffer().put(pos, bytes, bytes.position(), len);
        writeOffset = offset + len;
    }

    /** Writer: drops everything from {@code endOffset} on while running (a slave's diverged tail). */
    void truncateTail(long endOffset) throws IOException {
        truncate(endOffset, true);
        setRecoveredEnd(endOffset);
    }

    /** Writer: undoes {@link #reserve} after a failed {@link #write}; the size field there is still zero. */
    void rollbackTo(long offset) {
        writeOffset = offset;
    }

    /** Writer: makes everything appended so far visible to the flusher. */
    void publishWritten() {
        writtenOffset = writeOffset;
        MappedSegment c = current;
        if (c != null) {
            allocator.touchAhead(c, (int) (writeOffset - c.startOffset()));
        }
    }

    private synchronized void addSegment(MappedSegment s) {
        MappedSegment[] old = segments;
        MappedSegment[] next = java.util.Arrays.copyOf(old, old.length + 1);
        next[old.length] = s;
        segments = next;
    }

    /** Flusher: msync of [flushedOffset, target); advances flushedOffset only when every page made it. */
    void flush(long target) throws IOException {
        long from = flushedOffset;
        if (target <= from) {
            return;
        }
        for (MappedSegment s : segments) {
            if (s.endOffset() <= from || s.startOffset() >= target || s.isDeleted()) {
                continue;
            }
            int a = (int) (Math.max(from, s.startOffset()) - s.startOffset());
            int b = (int) (Math.min(target, s.endOffset()) - s.startOffset());
            s.force(a, b);
        }
        flushedOffset = target;
    }

    /**
     * Recovery: drops everything from {@code endOffset} on: zeroes the rest of its segment (so stale bytes can
     * never again be taken for records) and deletes later segments.
     */
    void truncate(long endOffset, boolean scanWholeTail) throws IOException {
        MappedSegment[] segs = segments;
        List<MappedSegment> keep = new ArrayList<>();
        byte[] zeros = new byte[64 * 1024];
        for (MappedSegment s : segs) {
            if (s.startOffset() > endOffset) {
                log.warn("recovery: deleting commit log segment {} beyond the recovered end {}", s.file(), endOffset);
                s.delete();
                continue;
            }
            if (s.contains(endOffset)) {
                int pos = (int) (endOffset - s.startOffset());
                ByteBuffer b = s.buffer();
                int dirtyEnd = lastNonZero(b, pos, s.sizeBytes(), scanWholeTail);
                if (dirtyEnd > pos) {
                    log.warn("recovery: zeroing commit log bytes {}..{} in {}", endOffset,
                            s.startOffset() + dirtyEnd, s.file());
                    for (int p = pos; p < dirtyEnd; p += zeros.length) {
                        b.put(p, zeros, 0, Math.min(zeros.length, dirtyEnd - p));
                    }
                    s.force(pos, dirtyEnd);
                }
            }
            keep.add(s);
        }
        segments = keep.toArray(new MappedSegment[0]);
    }

    /**
     * End (exclusive) of the last non-zero byte in [from, to), or {@code from} when all are zero. Without
     * {@code whole}, stops after {@link #CLEAN_TAIL_SCAN_BYTES} of zeros: after a clean stop only bytes written
     * by hand can follow the end, and reading a whole 1 GiB tail would make every restart slow.
     */
    private static int lastNonZero(ByteBuffer b, int from, int to, boolean whole) {
        int last = from;
        for (int p = from; p < to; p += 8) {
            boolean zero = p + 8 <= to ? b.getLong(p) == 0 : allZero(b, p, to);
            if (!zero) {
                last = Math.min(to, p + 8);
            } else if (!whole && p - last >= CLEAN_TAIL_SCAN_BYTES) {
                break;
            }
        }
        return last;
    }

    private static boolean allZero(ByteBuffer b, int from, int to) {
        for (int p = from; p < to; p++) {
            if (b.get(p) != 0) {
                return false;
            }
        }
        return true;
    }

    /**
     * Housekeeping: deletes the oldest segment if {@code decide} allows it. The newest segment and any segment
     * reaching {@code safeEndOffset} (not yet dispatched) are never deleted.
     */
    synchronized MappedSegment deleteHead(long safeEndOffset, java.util.function.Predicate<MappedSegment> decide)
            throws IOException {
        MappedSegment[] segs = segments;
        if (segs.length < 2 || segs[0].endOffset() > safeEndOffset || !decide.test(segs[0])) {
            return null;
        }
        MappedSegment head = segs[0];
        segments = java.util.Arrays.copyOfRange(segs, 1, segs.length);
        head.delete();
        log.info("retention: deleted commit log segment {}", head.file());
        return head;
    }

    void close() {
        for (MappedSegment s : segments) {
            s.close();
        }
    }
}

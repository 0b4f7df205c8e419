package io.tern.store.timer;

import io.tern.store.impl.MappedSegment;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The timer log: an append-only file of fixed-size entries, one per timer message enqueued into the
 * {@link TimerWheel}, each pointing at the message's record in the commit log and at the previous entry linked to
 * the same wheel slot, so a slot's entries form a chain read from its newest entry backwards. Kept as segments
 * {@code storeRoot/timerlog/<20-digit start position>} of {@code timerLogFileSize} bytes (rounded down to whole
 * entries); a position is global across segments.
 *
 * <pre>
 *  0               4               8                              16
 *  +---------------+---------------+------------------------------+
 *  | magic 'TmLg'  | record size   | prev position (-1: none)     |
 *  +---------------+---------------+------------------------------+
 * 16                              24                              32
 *  +------------------------------+------------------------------+
 *  | commit-log offset of record  | due time, epoch ms           |
 *  +------------------------------+------------------------------+
 * 32                              40                              48
 *  +------------------------------+------------------------------+
 *  | wheel tick it is linked to   | rmq_sys_wheel_timer offset   |
 *  +------------------------------+------------------------------+
 * </pre>
 * The tick an entry is linked to is its due tick, or, for a timer beyond the wheel's window, the last tick of the
 * window (it is then rolled: written again when that tick comes). The queue offset is that of the consume-queue
 * entry of the timer topic the entry was made from: recovery uses it to find where enqueuing stopped.
 *
 * <p>Not thread-safe: owned by the timer delivery worker.
 */
public final class TimerLog {
    public static final int ENTRY_BYTES = 48;
    static final int MAGIC = 0x546d4c67;
    static final int MAGIC_OFFSET = 0;
    static final int SIZE_OFFSET = 4;
    static final int PREV_OFFSET = 8;
    static final int COMMIT_LOG_OFFSET = 16;
    static final int DUE_MS_OFFSET = 24;
    static final int TICK_OFFSET = 32;
    static final int QUEUE_OFFSET_OFFSET = 40;

    /** One entry as read back. */
    public record Entry(long position, int recordSize, long prevPosition, long commitLogOffset, long dueMs,
                        long tick, long queueOffset) {
    }

    private final Path dir;
    private final int segmentBytes;
    private final List<MappedSegment> segments = new ArrayList<>();
    private long writePosition;
    /** Bytes [flushedPosition, writePosition) may not be on disk yet. */
    private long flushedPosition;

    private TimerLog(Path dir, int segmentBytes) {
        this.dir = dir;
        this.segmentBytes = segmentBytes;
    }

    /** Blocking: maps every segment under {@code dir}; appends continue at {@code writePosition}. */
    public static TimerLog open(Path dir, int fileSizeBytes, long writePosition) throws IOException {
        int segmentBytes = Math.max(ENTRY_BYTES, fileSizeBytes - fileSizeBytes % ENTRY_BYTES);
        Files.createDirectories(dir);
        TimerLog log = new TimerLog(dir, segmentBytes);
        List<Path> files;
        try (Stream<Path> s = Files.list(dir)) {
            files = s.filter(p -> p.getFileName().toString().matches("\\d{20}")).sorted().toList();
        }
        for (Path f : files) {
            long start = Long.parseLong(f.getFileName().toString());
            log.segments.add(MappedSegment.open(f, start, (int) Math.max(Files.size(f), segmentBytes), false));
        }
        long first = log.segments.isEmpty() ? writePosition - writePosition % segmentBytes
                : log.segments.get(0).startOffset();
        log.writePosition = Math.max(writePosition, first);
        log.flushedPosition = log.writePosition;
        return log;
    }

    public long writePosition() {
        return writePosition;
    }

    /** The first position still on disk (older segments were deleted). */
    public long firstPosition() {
        return segments.isEmpty() ? writePosition : segments.get(0).startOffset();
    }

    /** Appends one entry; returns its position. */
    public long append(int recordSize, long prevPosition, long commitLogOffset, long dueMs, long tick,
                       long queueOffset) throws IOException {
        long pos = writePosition;
        ByteBuffer b = segmentFor(pos, true).buffer();
        int at = (int) (pos % segmentBytes);
        b.putInt(at + SIZE_OFFSET, recordSize);
        b.putLong(at + PREV_OFFSET, prevPosition);
        b.putLong(at + COMMIT_LOG_OFFSET, commitLogOffset);
        b.putLong(at + DUE_MS_OFFSET, dueMs);
        b.putLong(at + TICK_OFFSET, tick);
        b.putLong(at + QUEUE_OFFSET_OFFSET, queueOffset);
        // the magic last: an entry whose magic is there was written whole (one writer, program order)
        b.putInt(at + MAGIC_OFFSET, MAGIC);
        writePosition = pos + ENTRY_BYTES;
        return pos;
    }

    /** The entry at {@code position}, or null when there is none (deleted, not written, torn). */
    public Entry read(long position) {
        if (position < 0 || position % ENTRY_BYTES != 0) {
            return null;
        }
        MappedSegment s = segmentFor(position);
        if (s == null) {
            return null;
        }
        ByteBuffer b = s.buffer();
        int at = (int) (position - s.startOffset());
        if (at + ENTRY_BYTES > s.sizeBytes() || b.getInt(at + MAGIC_OFFSET) != MAGIC) {
            return null;
        }
        return new Entry(position, b.getInt(at + SIZE_OFFSET), b.getLong(at + PREV_OFFSET),
                b.getLong(at + COMMIT_LOG_OFFSET), b.getLong(at + DUE_MS_OFFSET), b.getLong(at + TICK_OFFSET),
                b.getLong(at + QUEUE_OFFSET_OFFSET));
    }

    /** Recovery: re-points an entry at the chain it now continues. */
    void setPrevPosition(long position, long prevPosition) {
        MappedSegment s = segmentFor(position);
        s.buffer().putLong((int) (position - s.startOffset()) + PREV_OFFSET, prevPosition);
    }

    /** Recovery: the entries from {@code position} on that survived are kept; appends continue after them. */
    void continueAt(long position) {
        writePosition = position;
        flushedPosition = Math.min(flushedPosition, position);
    }

    /** Blocking: msync of what was appended since the last flush. */
    public void flush() throws IOException {
        long from = flushedPosition;
        long to = writePosition;
        for (MappedSegment s : segments) {
            if (s.endOffset() > from && s.startOffset() < to) {
                s.force((int) (Math.max(from, s.startOffset()) - s.startOffset()),
                        (int) (Math.min(to, s.endOffset()) - s.startOffset()));
            }
        }
        flushedPosition = to;
    }

    /**
     * Deletes the leading full segments that {@code done} says hold nothing pending any more. Blocking (file
     * deletion); returns the number deleted.
     */
    public int deleteSegments(java.util.function.Predicate<MappedSegment> done) throws IOException {
        int deleted = 0;
        while (segments.size() > 1 && segments.get(0).endOffset() <= writePosition && done.test(segments.get(0))) {
            segments.remove(0).delete();
            deleted++;
        }
        return deleted;
    }

    /** The segments, oldest first (for the cleanup's test of whether a segment is done). */
    List<MappedSegment> segments() {
        return segments;
    }

    public int segmentCount() {
        return segments.size();
    }

    public void close() {
        segments.forEach(MappedSegment::close);
    }

    private MappedSegment segmentFor(long position) {
        for (int i = segments.size() - 1; i >= 0; i--) {
            MappedSegment s = segments.get(i);
            if (s.contains(position)) {
                return s;
            }
            if (s.startOffset() < position) {
                return null;
            }
        }
        return null;
    }

    private MappedSegment segmentFor(long position, boolean create) throws IOException {
        MappedSegment s = segmentFor(position);
        if (s == null && create) {
            long start = position - position % segmentBytes;
            s = MappedSegment.open(dir.resolve(MappedSegment.name(start)), start, segmentBytes, false);
            segments.add(s);
        }
        return s;
    }
}

package io.tern.store.impl;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

/**
 * The consume queue of one topic-queue: fixed 20-byte entries in mapped files of {@code entriesPerFile}
 * entries, each file named by its 20-digit start <em>byte</em> offset; logical offset = byte offset / 20.
 *
 * <pre>
 *  0                 8        12                20
 *  +-----------------+--------+-----------------+
 *  | commit-log off  | size   | tag code        |
 *  +-----------------+--------+-----------------+
 * </pre>
 * An all-zero entry marks the end (a real entry has size &gt; 0).
 *
 * <p>Thread contract: written only by the dispatcher (recovery before it starts); {@link #flush} by housekeeping;
 * read lock-free from any thread: an entry is written before {@link #maxOffset} is raised past it, and the file
 * array is republished whole on change. Nothing about the backlog is held on the heap.
 */
public final class ConsumeQueue {
    private static final Logger log = LoggerFactory.getLogger(ConsumeQueue.class);

    public static final int ENTRY_BYTES = 20;
    public static final int PHYSICAL_OFFSET_AT = 0;
    public static final int SIZE_AT = 8;
    public static final int TAGS_CODE_AT = 12;

    private final String topic;
    private final int queueId;
    private final Path dir;
    private final int fileBytes;
    private volatile MappedSegment[] files = new MappedSegment[0];
    private volatile long maxOffset;
    private volatile long minOffset;
    /** Housekeeping-owned: entries known to be on disk. */
    private long flushedOffset;
    private volatile boolean destroyed;

    ConsumeQueue(String topic, int queueId, Path dir, int entriesPerFile) {
        this.topic = topic;
        this.queueId = queueId;
        this.dir = dir;
        this.fileBytes = entriesPerFile * ENTRY_BYTES;
    }

    public String topic() {
        return topic;
    }

    public int queueId() {
        return queueId;
    }

    public long maxOffset() {
        return maxOffset;
    }

    public long minOffset() {
        return minOffset;
    }

    /** Maps existing files and finds the end: the first all-zero entry. */
    void load() throws IOException {
        if (!Files.isDirectory(dir)) {
            return;
        }
        List<Path> paths;
        try (Stream<Path> s = Files.list(dir)) {
            paths = s.filter(p -> p.getFileName().toString().matches("\\d{20}")).sorted().toList();
        }
        List<MappedSegment> loaded = new ArrayList<>();
        for (Path p : paths) {
            long start = Long.parseLong(p.getFileName().toString());
            if (Files.size(p) != fileBytes || start % fileBytes != 0
                    || (!loaded.isEmpty() && loaded.get(loaded.size() - 1).endOffset() != start)) {
                log.warn("consume queue {}-{}: ignoring unexpected file {}", topic, queueId, p);
                continue;
            }
            loaded.add(MappedSegment.open(p, start, fileBytes, false));
        }
        files = loaded.toArray(new MappedSegment[0]);
        if (loaded.isEmpty()) {
            return;
        }
        // a file is only started once the one before is full, and entries are written in order: the last file
        // is a run of entries followed by zeros, so a binary search finds the end in a few page reads
        MappedSegment last = loaded.get(loaded.size() - 1);
        ByteBuffer b = last.buffer();
        int lo = 0;
        int hi = fileBytes / ENTRY_BYTES;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (isZero(b, mid * ENTRY_BYTES)) {
                hi = mid;
            } else {
                lo = mid + 1;
            }
        }
        long end = last.startOffset() / ENTRY_BYTES + lo;
        maxOffset = end;
        minOffset = loaded.get(0).startOffset() / ENTRY_BYTES;
        flushedOffset = end;
    }

    private static boolean isZero(ByteBuffer b, int pos) {
        return b.getInt(pos + SIZE_AT) == 0 && b.getLong(pos + PHYSICAL_OFFSET_AT) == 0
                && b.getLong(pos + TAGS_CODE_AT) == 0;
    }

    /**
     * Entries whose record ends after {@code commitLogOffset}: the messages of this queue that a copy of the commit
     * log ending there lacks. Record ends grow with the entries, so this gallops back from the newest entry (the
     * asked-about offset is usually recent: a few page reads) and then bisects. Lock-free, any thread.
     */
    long countEndingAfter(long commitLogOffset) {
        long max = maxOffset;
        long min = minOffset;
        if (max <= min || recordEnd(max - 1) <= commitLogOffset) {
            return 0;
        }
        long after = max - 1;
        long notAfter = -1;
        for (long step = 1; notAfter < 0; step <<= 1) {
            long probe = Math.max(min, max - 1 - step);
            if (recordEnd(probe) > commitLogOffset) {
                if (probe == min) {
                    return max - min;
                }
                after = probe;
            } else {
                notAfter = probe;
            }
        }
        while (after - notAfter > 1) {
            long mid = (after + notAfter) >>> 1;
            if (recordEnd(mid) > commitLogOffset) {
                after = mid;
            } else {
                notAfter = mid;
            }
        }
        return max - after;
    }

    /**
     * The commit-log end of the last record of this queue that ends at or before {@code commitLogOffset}, or -1
     * when none does: a record boundary at or below that offset (recovery). Bisects; lock-free, any thread.
     */
    long lastRecordEndAtOrBefore(long commitLogOffset) {
        long lo = minOffset;
        long hi = maxOffset;
        // invariant: entries below lo end at or before the offset, entries from hi on end after it
        while (lo < hi) {
            long mid = (lo + hi) >>> 1;
            if (recordEnd(mid) <= commitLogOffset) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo == minOffset ? -1 : recordEnd(lo - 1);
    }

    /** Commit-log end of the newest entry's record, or -1 when the queue is empty. */
    long lastRecordEnd() {
        long max = maxOffset;
        return max <= minOffset ? -1 : recordEnd(max - 1);
    }

    /** Commit-log end of the record behind entry {@code offset}; 0 when its file is gone (retention). */
    private long recordEnd(long offset) {
        MappedSegment f = fileFor(offset);
        if (f == null) {
            return 0;
        }
        int pos = posOf(f, offset);
        ByteBuffer b = f.buffer();
        return b.getLong(pos + PHYSICAL_OFFSET_AT) + b.getInt(pos + SIZE_AT);
    }

    /** Recovery: removes entries whose record does not end before {@code commitLogEnd}. */
    void truncateBeyond(long commitLogEnd) {
        long end = maxOffset;
        while (end > minOffset) {
            MappedSegment f = fileFor(end - 1);
            int pos = posOf(f, end - 1);
            ByteBuffer b = f.buffer();
            if (b.getLong(pos) + b.getInt(pos + SIZE_AT) <= commitLogEnd) {
                break;
            }
            b.putLong(pos, 0).putInt(pos + SIZE_AT, 0).putLong(pos + TAGS_CODE_AT, 0);
            end--;
        }
        if (end != maxOffset) {
            log.warn("recovery: consume queue {}-{} truncated from {} to {}", topic, queueId, maxOffset, end);
            maxOffset = end;
            flushedOffset = Math.min(flushedOffset, end);
        }
    }

    /** Raises minOffset to the first entry whose record still exists at or after {@code minPhysicalOffset}. */
    void correctMinOffset(long minPhysicalOffset) {
        long min = Math.max(minOffset, files.length == 0 ? 0 : files[0].startOffset() / ENTRY_BYTES);
        long max = maxOffset;
        while (min < max) {
            MappedSegment f = fileFor(min);
            if (f == null) {
                break;
            }
            if (f.buffer().getLong(posOf(f, min)) >= minPhysicalOffset) {
                break;
            }
            min++;
        }
        minOffset = min;
    }

    /**
     * Dispatcher: writes the entry for {@code queueOffset}. An offset already present is skipped (recovery
     * re-dispatch); one beyond the end means the log and queue disagree and is skipped with a warning.
     */
    boolean append(long queueOffset, long physicalOffset, int sizeBytes, long tagsCode) throws IOException {
        long max = maxOffset;
        if (destroyed) {
            return false;
        }
        if (queueOffset < max) {
            fillHole(queueOffset, physicalOffset, sizeBytes, tagsCode);
            return false;
        }
        if (queueOffset > max) {
            log.warn("consume queue {}-{}: entry {} skipped, queue ends at {}", topic, queueId, queueOffset, max);
            return false;
        }
        MappedSegment f = fileFor(queueOffset);
        if (f == null) {
            f = newFile(queueOffset * ENTRY_BYTES - (queueOffset * ENTRY_BYTES) % fileBytes);
        }
        int pos = posOf(f, queueOffset);
        f.prepareAppend(pos, ENTRY_BYTES);
        f.buffer().putLong(pos + PHYSICAL_OFFSET_AT, physicalOffset).putInt(pos + SIZE_AT, sizeBytes)
                .putLong(pos + TAGS_CODE_AT, tagsCode);
        maxOffset = queueOffset + 1;
        return true;
    }

    /**
     * Recovery after a power loss: pages of a queue file may reach the disk out of order, leaving a zero entry
     * below the end; the re-dispatched record fills it.
     */
    private void fillHole(long queueOffset, long physicalOffset, int sizeBytes, long tagsCode) {
        MappedSegment f = fileFor(queueOffset);
        if (f == null) {
            return;
        }
        int pos = posOf(f, queueOffset);
        if (isZero(f.buffer(), pos)) {
            log.warn("consume queue {}-{}: filling lost entry {}", topic, queueId, queueOffset);
            f.buffer().putLong(pos + PHYSICAL_OFFSET_AT, physicalOffset).putInt(pos + SIZE_AT, sizeBytes)
                    .putLong(pos + TAGS_CODE_AT, tagsCode);
        }
    }

    private synchronized MappedSegment newFile(long startByte) throws IOException {
        Files.createDirectories(dir);
        MappedSegment f = MappedSegment.open(dir.resolve(MappedSegment.name(startByte)), startByte, fileBytes, false);
        MappedSegment[] old = files;
        if (old.length == 0) {
            minOffset = startByte / ENTRY_BYTES;
        }
        MappedSegment[] next = Arrays.copyOf(old, old.length + 1);
        next[old.length] = f;
        files = next;
        return f;
    }

    /** File holding logical offset {@code offset}, or null when deleted or not yet created. */
    MappedSegment fileFor(long offset) {
        MappedSegment[] fs = files;
        long byteOffset = offset * ENTRY_BYTES;
        if (fs.length == 0 || byteOffset < fs[0].startOffset()) {
            return null;
        }
        long idx = (byteOffset - fs[0].startOffset()) / fileBytes;
        if (idx >= fs.length) {
            return null;
        }
        MappedSegment f = fs[(int) idx];
        return f.contains(byteOffset) ? f : null;
    }

    static int posOf(MappedSegment f, long offset) {
        return (int) (offset * ENTRY_BYTES - f.startOffset());
    }

    /** Housekeeping: msync of entries written since the last flush. */
    void flush() throws IOException {
        long max = maxOffset;
        long from = flushedOffset;
        if (max <= from) {
            return;
        }
        for (MappedSegment f : files) {
            long a = Math.max(from * ENTRY_BYTES, f.startOffset());
            long b = Math.min(max * ENTRY_BYTES, f.endOffset());
            if (a < b && !f.isDeleted()) {
                f.force((int) (a - f.startOffset()), (int) (b - f.startOffset()));
            }
        }
        flushedOffset = max;
    }

    /** Housekeeping: deletes head files whose every entry points below {@code minPhysicalOffset}. */
    synchronized int deleteFilesBelow(long minPhysicalOffset) throws IOException {
        int deleted = 0;
        MappedSegment[] fs = files;
        int i = 0;
        while (i < fs.length - 1) {
            ByteBuffer b = fs[i].buffer();
            long lastPhy = b.getLong(fs[i].sizeBytes() - ENTRY_BYTES);
            if (lastPhy >= minPhysicalOffset) {
                break;
            }
            i++;
        }
        if (i > 0) {
            files = Arrays.copyOfRange(fs, i, fs.length);
            for (int k = 0; k < i; k++) {
                fs[k].delete();
                deleted++;
            }
        }
        correctMinOffset(minPhysicalOffset);
        return deleted;
    }

    /** Deletes every file and the directories (deleteTopic). */
    synchronized void destroy() throws IOException {
        destroyed = true;
        for (MappedSegment f : files) {
            f.delete();
        }
        files = new MappedSegment[0];
        maxOffset = 0;
        minOffset = 0;
        Files.deleteIfExists(dir);
    }

    void close() {
        for (MappedSegment f : files) {
            f.close();
        }
    }
}

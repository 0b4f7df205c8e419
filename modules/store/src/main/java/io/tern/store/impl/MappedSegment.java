package io.tern.store.impl;

import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * One fixed-size file mapped whole into memory: a commit-log segment, a consume-queue file or an index file.
 * Named by {@link #name(long)} = 20-digit start offset where the owner uses offsets.
 *
 * <p>Thread contract: one owner thread writes (absolute puts only, so the shared buffer's position is never
 * touched); any thread reads through {@link #buffer()} with absolute gets or {@link #view}. The mapping is never
 * unmapped by hand: {@link #delete()} closes the channel and removes the file, and the memory is released by the
 * GC once no view of it is left, so a reader holding a view can never fault.
 */
public final class MappedSegment {
    public static final int PAGE_BYTES = 4096;
    private final Path file;
    private final long startOffset;
    private final int sizeBytes;
    private final FileChannel channel;
    private final MappedByteBuffer buffer;
    /** Native order: adding zero is order-free, and only the native view compiles to one locked add. */
    private static final VarHandle INT_VIEW = MethodHandles.byteBufferViewVarHandle(int[].class, ByteOrder.nativeOrder());
    private volatile boolean deleted;
    /** One page of zeros, shared: writers take a duplicate (their own position). */
    private static final ByteBuffer ZERO_PAGE = ByteBuffer.allocateDirect(PAGE_BYTES).asReadOnlyBuffer();
    /** Pages below this offset are cached for {@link #prepareAppend}; -1 until its first call. Owner thread. */
    private int preparedBytes = -1;
    /** Pages below this offset are faulted in; written by the allocator thread only. */
    private volatile int touchedBytes;
    /** Most bytes {@link #touch} writes with zeros in one system call (between calls its thread can be preempted). */
    static final int FILL_CHUNK_BYTES = 64 * 1024;
    private static final ByteBuffer ZERO_CHUNK = ByteBuffer.allocateDirect(FILL_CHUNK_BYTES).asReadOnlyBuffer();
    /**
     * Whether this process created the file (or grew it to its size) as a sparse file: then no byte at or past the
     * owner's stores is anyone's data, and {@link #touch} may fill pages there with zeros instead of faulting them in.
     */
    private final boolean fresh;
    /** End of the bytes the owner has begun to store through the mapping ({@link #beforeStore}); owner writes. */
    private volatile int storeEnd;
    /** Pages {@link #touch} is filling with zeros through the channel, {@code from << 32 | to}; 0 when none. */
    private volatile long filling;
    /** Pages below this offset the owner filled with zeros itself, being ahead of the touching. Owner thread. */
    private int ownerFilledBytes;

    private MappedSegment(Path file, long startOffset, int sizeBytes, FileChannel channel, MappedByteBuffer buffer,
                          boolean fresh) {
        this.fresh = fresh;
        this.file = file;
        this.startOffset = startOffset;
        this.sizeBytes = sizeBytes;
        this.channel = channel;
        this.buffer = buffer;
    }

    public static String name(long startOffset) {
        return String.format("%020d", startOffset);
    }

    /**
     * Maps {@code file}, creating it at {@code sizeBytes} when absent. {@code reserveBlocks} writes zeros through
     * the channel first so the file system has allocated every block: a later store into the mapping can then not
     * hit ENOSPC, which the JVM would only report as a fatal SIGBUS.
     */
    public static MappedSegment open(Path file, long startOffset, int sizeBytes, boolean reserveBlocks)
            throws IOException {
        FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE);
        try {
            long existing = ch.size();
            if (reserveBlocks && existing < sizeBytes) {
                ByteBuffer zeros = ByteBuffer.allocateDirect(1 << 20);
                long pos = existing;
                while (pos < sizeBytes) {
                    zeros.clear().limit((int) Math.min(zeros.capacity(), sizeBytes - pos));
                    pos += ch.write(zeros, pos);
                }
            } else if (existing < sizeBytes) {
                // sparse: the trailing byte sets the length without allocating blocks
                ch.write(ByteBuffer.allocate(1), sizeBytes - 1);
            }
            MappedByteBuffer buf = ch.map(FileChannel.MapMode.READ_WRITE, 0, sizeBytes);
            // a file just written whole with zeros (reserveBlocks) has no holes left to fill
            return new MappedSegment(file, startOffset, sizeBytes, ch, buf, existing < sizeBytes && !reserveBlocks);
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
    }

    /**
     * Touches every page through the mapping for writing, so the first appends do not pay the page-fault cost
     * (about 10 µs a page here) and the file system reserves the blocks now: on a full disk this fails here,
     * off the hot path, instead of in the writer.
     */
    public void pretouch() throws IOException {
        touch(0, sizeBytes);
    }

    /**
     * Owner thread, before it stores {@code length} bytes at {@code pos} through the mapping, where everything
     * from {@code pos} on is past the owner's data (an append): puts the pages of that range into the page cache
     * through the channel, one page at a time, so that the store into the mapping is a minor fault.
     *
     * <p>Why: a store into a page that is not cached faults it in with the mapping's read-around, which reads
     * (for a hole: allocates and zeroes) up to the device's read-ahead window around the page — 8 MiB on the
     * benchmark machine, more than a whole 6 MB consume-queue file. With 10,000 queues every first entry of a queue
     * then cost about 12 ms of CPU and 6 MB of page cache (src-docs/performance-notes.md, change 17). A page
     * written whole by {@code pwrite} needs no read, and a cached page has no read-around.
     *
     * <p>Pages wholly at or past {@code pos} get zeros (they hold nothing of the owner's yet). The first time,
     * the page holding {@code pos} may hold data before it (a file opened again after a restart): that one page
     * is read through the channel instead, a small read, not a read-around of the mapping.
     */
    public void prepareAppend(int pos, int length) throws IOException {
        int end = Math.min(pos + length, sizeBytes);
        if (end <= preparedBytes) {
            return;
        }
        if (preparedBytes < 0) {
            int page = pos - pos % PAGE_BYTES;
            if (page < pos) {
                ByteBuffer one = ByteBuffer.allocate(Math.min(PAGE_BYTES, sizeBytes - page));
                channel.read(one, page);
                preparedBytes = page + PAGE_BYTES;
            } else {
                preparedBytes = page;
            }
        }
        while (preparedBytes < end) {
            int at = preparedBytes;
            // never past the file's end: a file need not be a whole number of pages (a consume-queue file is not)
            int upTo = Math.min(at + PAGE_BYTES, sizeBytes);
            ByteBuffer zeros = ZERO_PAGE.duplicate().limit(upTo - at);
            while (zeros.hasRemaining()) {
                channel.write(zeros, at + zeros.position());
            }
            preparedBytes = upTo;
        }
    }

    /** Whether this process created the file (or grew it to its size) as a sparse file when it opened it. */
    public boolean isFresh() {
        return fresh;
    }

    /** Bytes from the start of the segment whose pages {@link #touch} has already faulted in. */
    public int touchedBytes() {
        return touchedBytes;
    }

    /**
     * Faults in, for writing, the pages from {@code fromPos} (or {@link #touchedBytes}, if further) up to
     * {@code toPos}, where the owner holds no data at or past {@code fromPos}. Safe while the owner appends into
     * the same pages: each page is touched with an atomic add of zero, which writes without changing a byte, so a
     * record copied there concurrently is never overwritten.
     *
     * <p>In a {@link #fresh} file, pages wholly past {@code fromPos} and past everything the owner has begun to
     * store are first written with zeros through the channel, {@link #FILL_CHUNK_BYTES} per call, so the touch that
     * follows is a minor fault on a cached page. Faulting an uncached page of a shared mapping reads around it up
     * to the device's read-ahead window (8 MiB on the benchmark machine): for a hole, the kernel allocates and zeroes
     * 2,048 pages inside one fault, 15–55 ms of one core that the thread does not give up, once per 8 MiB of log.
     * On two cores that stalled the writer and the event loops behind it (src-docs/performance-notes.md, change 22).
     * A chunk the owner reaches while it is being filled is waited out by {@link #beforeStore}; pages the owner
     * has begun to store into are never filled.
     */
    public void touch(int fromPos, int toPos) throws IOException {
        int end = Math.min(toPos, sizeBytes);
        int pos = Math.max(touchedBytes, fromPos - fromPos % PAGE_BYTES);
        try {
            while (pos < end) {
                // the page holding fromPos may hold the owner's data before it: touched alone, never filled
                int chunkEnd = Math.min(end, pos + (pos < fromPos ? PAGE_BYTES : FILL_CHUNK_BYTES));
                if (fresh && pos >= fromPos) {
                    fillWithZeros(pos, chunkEnd);
                }
                for (; pos < chunkEnd; pos += PAGE_BYTES) {
                    INT_VIEW.getAndAdd(buffer, pos, 0);
                }
                touchedBytes = Math.max(touchedBytes, Math.min(pos, sizeBytes));
            }
        } catch (InternalError e) {
            // the JVM reports SIGBUS on a mapped page (no space for its block) as an InternalError; a fill that finds
            // no space throws the file system's own IOException ("No space left on device"), which the writer
            // reports as a full disk
            throw new IOException("cannot pre-touch " + file + ": " + e.getMessage(), e);
        } finally {
            touchedBytes = Math.max(touchedBytes, Math.min(pos, sizeBytes));
        }
    }

    /**
     * Touching thread: writes zeros over the pages [from, to) unless the owner has begun to store there. The range
     * is announced before the owner's progress is read, and the owner announces its stores before it reads the
     * range ({@link #beforeStore}): of two such crossings at least one side sees the other, so either the fill
     * is skipped or the owner waits for it, and zeros never land on a record.
     */
    private void fillWithZeros(int from, int to) throws IOException {
        int stored = storeEnd;
        if (stored > from) {
            // the owner overtook the touching: only the pages wholly past its stores are still free
            from = Math.min(to, stored + (PAGE_BYTES - stored % PAGE_BYTES) % PAGE_BYTES);
            if (from >= to) {
                return;
            }
        }
        filling = (long) from << 32 | to;
        try {
            if (storeEnd > from) {
                return;
            }
            writeZeros(from, to);
        } finally {
            filling = 0;
        }
    }

    /**
     * Owner thread, before it stores into [{@code pos}, {@code end}) through the mapping: announces the store and
     * waits while {@link #touch} is filling any of those pages with zeros. It waits only when it has caught up
     * with the touching, which runs a window ahead of it; then for one chunk at most.
     */
    public void beforeStore(int pos, int end) throws IOException {
        int storedBefore = storeEnd;
        if (end > storedBefore) {
            storeEnd = end;
        }
        long f;
        for (int spins = 0; (f = filling) != 0 && (int) (f >>> 32) < end && (int) f > pos; spins++) {
            if (spins < 100) {
                Thread.onSpinWait();
            } else {
                // the filling thread may have been preempted mid-write: give it the core
                Thread.yield();
            }
        }
        if (fresh && end > ownerFilledBytes && end > touchedBytes) {
            fillAheadOfTouching(storedBefore, end);
        }
    }

    /**
     * Owner thread, storing past what {@link #touch} has reached (the segment prepared at store start is not
     * touched ahead, and a writer may outrun the touching): puts the pages from the first one wholly past its
     * earlier stores up to the end of this store's last page into the page cache with zeros first, so the store
     * is a minor fault on a cached page. A store into an uncached page of the mapping would fault it in with a
     * read-around; that read-around marks a page for the next one, and from then on every touch ahead of the
     * writer that reached a marked page zeroed a whole read-ahead window inside its fault, on top of filling it
     * (src-docs/performance-notes.md, change 26). The touching skips these pages: they are below {@link #storeEnd}.
     */
    private void fillAheadOfTouching(int storedBefore, int end) throws IOException {
        int from = Math.max(Math.max(ownerFilledBytes, touchedBytes),
                storedBefore + (PAGE_BYTES - storedBefore % PAGE_BYTES) % PAGE_BYTES);
        int to = (int) Math.min(sizeBytes, (long) end + (PAGE_BYTES - end % PAGE_BYTES) % PAGE_BYTES);
        if (from < to) {
            writeZeros(from, to);
        }
        ownerFilledBytes = Math.max(ownerFilledBytes, to);
    }

    /** Writes zeros over [{@code from}, {@code to}) through the channel, {@link #FILL_CHUNK_BYTES} per call. */
    private void writeZeros(int from, int to) throws IOException {
        while (from < to) {
            ByteBuffer zeros = ZERO_CHUNK.duplicate().limit(Math.min(FILL_CHUNK_BYTES, to - from));
            while (zeros.hasRemaining()) {
                from += channel.write(zeros, from);
            }
        }
    }

    public Path file() {
        return file;
    }

    public long startOffset() {
        return startOffset;
    }

    public long endOffset() {
        return startOffset + sizeBytes;
    }

    public int sizeBytes() {
        return sizeBytes;
    }

    public boolean contains(long offset) {
        return offset >= startOffset && offset < startOffset + sizeBytes;
    }

    /** The shared mapping: absolute gets and puts only. */
    public ByteBuffer buffer() {
        return buffer;
    }

    /** Read-only view of {@code length} bytes at {@code pos}; keeps the mapping alive while referenced. */
    public ByteBuffer view(int pos, int length) {
        return buffer.slice(pos, length).asReadOnlyBuffer();
    }

    /** msync of the byte range: returns once those pages are on disk; throws on an I/O error. */
    public void force(int fromPos, int toPos) throws IOException {
        if (toPos <= fromPos) {
            return;
        }
        try {
            buffer.force(fromPos, toPos - fromPos);
        } catch (java.io.UncheckedIOException e) {
            throw e.getCause();
        }
    }

    public long lastModifiedMs() {
        try {
            return Files.getLastModifiedTime(file).toMillis();
        } catch (IOException e) {
            return 0;
        }
    }

    public boolean isDeleted() {
        return deleted;
    }

    public void close() {
        try {
            channel.close();
        } catch (IOException ignored) {
            // nothing left to release: the mapping outlives the channel
        }
    }

    public void delete() throws IOException {
        deleted = true;
        close();
        Files.deleteIfExists(file);
    }
}

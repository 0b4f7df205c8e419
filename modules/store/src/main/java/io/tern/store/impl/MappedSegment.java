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

    private MappedSegment(Path file, long startOffset, int sizeBytes, FileChannel channel, MappedByteBuffer buffer) {
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
            return new MappedSegment(file, startOffset, sizeBytes, ch, buf);
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

    /** Bytes from the start of the segment whose pages {@link #touch} has already faulted in. */
    public int touchedBytes() {
        return touchedBytes;
    }

    /**
     * Faults in, for writing, the pages from {@code fromPos} (or {@link #touchedBytes}, if further) up to
     * {@code toPos}. Safe while the writer
     * appends into the same pages: each page is touched with an atomic add of zero, which writes without
     * changing a byte, so a record copied there concurrently is never overwritten.
     */
    public void touch(int fromPos, int toPos) throws IOException {
        int end = Math.min(toPos, sizeBytes);
        int pos = Math.max(touchedBytes, fromPos - fromPos % PAGE_BYTES);
        try {
            for (; pos < end; pos += PAGE_BYTES) {
                INT_VIEW.getAndAdd(buffer, pos, 0);
            }
        } catch (InternalError e) {
            // the JVM reports SIGBUS on a mapped page (no space for its block) as an InternalError
            throw new IOException("cannot pre-touch " + file + ": " + e.getMessage(), e);
        } finally {
            touchedBytes = Math.max(touchedBytes, Math.min(pos, sizeBytes));
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

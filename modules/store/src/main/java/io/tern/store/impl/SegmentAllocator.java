package io.tern.store.impl;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Creates commit-log segments: the file is written full of zeros (blocks reserved, see
 * {@link MappedSegment#open}), mapped and pre-touched on its own thread, one segment ahead of the writer, so a
 * roll-over costs the writer only a hand-off.
 *
 * <p>Thread-safe: {@link #obtain} is called by the writer, {@link #prepare} by the writer and the housekeeping
 * thread; the work runs on the allocator's single thread.
 */
final class SegmentAllocator {
    private static final Logger log = LoggerFactory.getLogger(SegmentAllocator.class);

    private final Path dir;
    private final int segmentBytes;
    private final boolean warm;
    private final boolean reserveBlocks;
    private final DiskSpace disk;
    private final StoreHooks hooks;
    private final ExecutorService executor;
    private Future<MappedSegment> pending;
    private long pendingStart = -1;

    SegmentAllocator(Path dir, int segmentBytes, boolean warm, boolean reserveBlocks, DiskSpace disk,
                     StoreHooks hooks) {
        this.reserveBlocks = reserveBlocks;
        this.dir = dir;
        this.segmentBytes = segmentBytes;
        this.warm = warm;
        this.disk = disk;
        this.hooks = hooks;
        this.executor = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "tern-store-allocator");
            t.setDaemon(true);
            return t;
        });
    }

    /** The segment starting at {@code startOffset}: the prepared one if ready, else created now. */
    synchronized MappedSegment obtain(long startOffset) throws IOException {
        if (pending != null && pendingStart == startOffset) {
            Future<MappedSegment> f = pending;
            pending = null;
            try {
                return f.get();
            } catch (ExecutionException e) {
                log.debug("pre-allocation of {} failed, retrying in place: {}", startOffset, e.getCause().toString());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while allocating segment " + startOffset, e);
            }
        }
        return create(startOffset);
    }

    /** Starts creating the segment at {@code startOffset} in the background. */
    synchronized void prepare(long startOffset) {
        if (pending != null && pendingStart == startOffset) {
            return;
        }
        discardPending();
        pendingStart = startOffset;
        pending = executor.submit(() -> create(startOffset));
    }

    /** Creates the segment at {@code startOffset} now and keeps it for the writer; throws if it cannot. */
    synchronized void prepareNow(long startOffset) throws IOException {
        if (pending != null && pendingStart == startOffset && pending.isDone()) {
            try {
                pending.get();
                return;
            } catch (ExecutionException | InterruptedException e) {
                pending = null;
            }
        }
        MappedSegment s = create(startOffset);
        discardPending();
        pendingStart = startOffset;
        pending = java.util.concurrent.CompletableFuture.completedFuture(s);
    }

    private MappedSegment create(long startOffset) throws IOException {
        hooks.beforeAllocate(startOffset);
        Path file = dir.resolve(MappedSegment.name(startOffset));
        if (!Files.exists(file)) {
            disk.checkRoomFor(segmentBytes);
        }
        MappedSegment s;
        try {
            s = MappedSegment.open(file, startOffset, segmentBytes, reserveBlocks);
        } catch (IOException e) {
            Files.deleteIfExists(file);
            throw e;
        }
        if (warm) {
            try {
                s.pretouch();
            } catch (IOException e) {
                s.delete();
                throw e;
            }
        }
        return s;
    }

    private void discardPending() {
        if (pending == null) {
            return;
        }
        Future<MappedSegment> f = pending;
        pending = null;
        try {
            f.get().delete();
        } catch (Exception ignored) {
            // a failed pre-allocation left nothing behind
        }
    }

    /** Removes an unused pre-allocated file, so a restart does not find an empty segment. */
    synchronized void shutdown() {
        discardPending();
        executor.shutdownNow();
    }
}

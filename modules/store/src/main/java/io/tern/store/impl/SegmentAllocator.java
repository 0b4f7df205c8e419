package io.tern.store.impl;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Creates commit-log segments on its own thread (a worker verticle on its own single-thread pool,
 * tern-store-allocator), one segment ahead of the writer, so a roll-over costs the writer
 * only a hand-off: the file is created (optionally written full of zeros, see {@link MappedSegment#open}) and
 * mapped, and with {@code warm} its pages are faulted in a window ahead of the writer ({@link #touchAhead}): the
 * first {@link #TOUCH_AHEAD_BYTES} at creation (none for the segment prepared at store start, see
 * {@link #prepareUntouched}), the rest as the writer advances, {@link #TOUCH_STEP_BYTES} at a time or twice what the
 * writer appended since the last step, if more (so a writer of large records does not outrun the touching). Touching a whole 1 GiB segment at once cost 2–3 s of CPU in one burst (at start-up two segments, while the
 * broker was starting and serving its first sends) and dirtied pages long before any data reached them; touching
 * half the window at a time still meant an ~80 ms burst on one of the cores the event loops need every few seconds
 * at a steady 5 MB/s. In steps of 1 MiB the same work comes as a ~2–3 ms task per MiB written.
 *
 * <p>Until the verticle is deployed, and after it stopped, nothing is prepared ahead: {@link #obtain} creates the
 * segment in place (recovery) and {@link #touchAhead} does nothing. Stopping the verticle deletes a prepared
 * segment nobody used, so a restart does not find an empty one.
 *
 * <p>Thread-safe: {@link #obtain} is called by the writer, {@link #prepare} by the writer and housekeeping, each
 * from its own thread; file creation and pre-touching run as tasks on the allocator's context.
 */
final class SegmentAllocator extends VerticleBase {
    private static final Logger log = LoggerFactory.getLogger(SegmentAllocator.class);
    /** How far ahead of the write position pages are faulted in (about a second of appends at full speed). */
    static final int TOUCH_AHEAD_BYTES = 64 << 20;
    /** Most bytes one pre-touch task faults in; the writer's next batch asks for the rest. */
    static final int TOUCH_STEP_BYTES = 1 << 20;

    private final Path dir;
    private final int segmentBytes;
    private final boolean warm;
    private final boolean reserveBlocks;
    private final DiskSpace disk;
    private final StoreHooks hooks;
    /** The allocator's context while it is deployed; null before and after. */
    private volatile Context worker;
    private final AtomicBoolean touching = new AtomicBoolean();
    private final int touchAheadBytes;
    private final int touchStepBytes;
    /** The segment and write position of the writer's last scheduled touch; the writer's thread only. */
    private MappedSegment lastSegment;
    private int lastWritePos;
    private CompletableFuture<MappedSegment> pending;
    private long pendingStart = -1;

    SegmentAllocator(Path dir, int segmentBytes, boolean warm, boolean reserveBlocks, DiskSpace disk,
                     StoreHooks hooks) {
        this(dir, segmentBytes, warm, reserveBlocks, disk, hooks, TOUCH_AHEAD_BYTES, TOUCH_STEP_BYTES);
    }

    /** With another window and step: tests use small ones. */
    SegmentAllocator(Path dir, int segmentBytes, boolean warm, boolean reserveBlocks, DiskSpace disk,
                     StoreHooks hooks, int touchAheadBytes, int touchStepBytes) {
        this.touchAheadBytes = touchAheadBytes;
        this.touchStepBytes = touchStepBytes;
        this.reserveBlocks = reserveBlocks;
        this.dir = dir;
        this.segmentBytes = segmentBytes;
        this.warm = warm;
        this.disk = disk;
        this.hooks = hooks;
    }

    @Override
    public Future<?> start() {
        worker = context;
        return Future.succeededFuture();
    }

    /** Deletes a prepared segment nobody used; later calls create segments in place. */
    @Override
    public synchronized Future<?> stop() {
        worker = null;
        if (pending != null && !pending.isDone()) {
            // only when Vert.x undeploys everything at once: the creation is queued behind this task
            pending.thenAccept(s -> {
                try {
                    s.delete();
                } catch (IOException e) {
                    log.warn("could not delete unused pre-allocated segment {}: {}", s.file(), e.toString());
                }
            });
            pending = null;
        }
        discardPending();
        return Future.succeededFuture();
    }

    /** The segment starting at {@code startOffset}: the prepared one if ready, else created now. */
    synchronized MappedSegment obtain(long startOffset) throws IOException {
        if (pending != null && pendingStart == startOffset) {
            CompletableFuture<MappedSegment> f = pending;
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
        return create(startOffset, touchAheadBytes);
    }

    /** Starts creating the segment at {@code startOffset} in the background, its first window pre-touched. */
    synchronized void prepare(long startOffset) {
        prepare(startOffset, touchAheadBytes);
    }

    /**
     * At store start: starts creating the segment at {@code startOffset} in the background without pre-touching
     * any of it; {@link #touchAhead} faults its pages in step by step once the writer appends. The whole window at
     * once (16,384 fresh pages) cost a start about 150 ms of CPU on the two cores the broker needed to listen and
     * register (src-docs/performance-notes.md, change 21), for a broker that may not receive a message for a while.
     */
    synchronized void prepareUntouched(long startOffset) {
        prepare(startOffset, 0);
    }

    private void prepare(long startOffset, int touchBytes) {
        if (pending != null && pendingStart == startOffset) {
            return;
        }
        discardPending();
        CompletableFuture<MappedSegment> created = new CompletableFuture<>();
        pendingStart = startOffset;
        pending = created;
        if (!runOnWorker(() -> {
            try {
                created.complete(create(startOffset, touchBytes));
            } catch (Throwable e) {
                created.completeExceptionally(e);
            }
        })) {
            created.completeExceptionally(new IOException("allocator not running"));
        }
    }

    /** Runs {@code task} on the allocator's context; false when it is not deployed. */
    private boolean runOnWorker(Runnable task) {
        Context c = worker;
        if (c == null) {
            return false;
        }
        try {
            c.runOnContext(v -> task.run());
            return true;
        } catch (RejectedExecutionException e) {
            return false;
        }
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
        MappedSegment s = create(startOffset, touchAheadBytes);
        discardPending();
        pendingStart = startOffset;
        pending = CompletableFuture.completedFuture(s);
    }

    private MappedSegment create(long startOffset, int touchBytes) throws IOException {
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
        if (warm && touchBytes > 0) {
            try {
                s.touch(0, touchBytes);
            } catch (IOException e) {
                s.delete();
                throw e;
            }
        }
        return s;
    }

    /**
     * Writer, after a batch: when the touched window ahead of {@code writePos} in {@code segment} has shrunk by a
     * step, faults in the next step of pages on the allocator thread. Never blocks; a touch already under way is
     * left to finish (a writer faster than the touching meets the untouched pages itself). A failure (no block for
     * a page) is only logged: the writer's own copy then meets it and rolls back, as without pre-touching.
     */
    void touchAhead(MappedSegment segment, int writePos) {
        if (!warm || segment == null) {
            return;
        }
        int wanted = (int) Math.min(segment.sizeBytes(), (long) writePos + touchAheadBytes);
        int touched = segment.touchedBytes();
        if (wanted - touched < touchStepBytes && wanted < segment.sizeBytes()
                || wanted <= touched || !touching.compareAndSet(false, true)) {
            return;
        }
        // a step at least twice what the writer appended since the last request: a writer of large records
        // (1 MiB messages append several MiB a batch) outran 1 MiB steps, met untouched pages and paid their first
        // touch itself, on the one thread every send waits for (performance-notes, change 31)
        int advanced = segment == lastSegment ? Math.max(0, writePos - lastWritePos) : 0;
        int step = (int) Math.min(Integer.MAX_VALUE / 2, Math.max(touchStepBytes, 2L * advanced));
        int target = (int) Math.min(wanted, (long) Math.max(touched, writePos) + step);
        lastSegment = segment;
        lastWritePos = writePos;
        if (!runOnWorker(() -> {
            try {
                if (!segment.isDeleted()) {
                    segment.touch(writePos, target);
                }
            } catch (IOException e) {
                log.warn("pre-touch ahead of the writer failed: {}", e.getMessage());
            } finally {
                touching.set(false);
            }
        })) {
            touching.set(false);
        }
    }

    /** Whether a pre-touch task is queued or running. */
    boolean touching() {
        return touching.get();
    }

    private void discardPending() {
        if (pending == null) {
            return;
        }
        CompletableFuture<MappedSegment> f = pending;
        pending = null;
        try {
            f.get().delete();
        } catch (Exception ignored) {
            // a failed pre-allocation left nothing behind
        }
    }
}

package io.tern.remoting.protocol;

import io.netty.buffer.Unpooled;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.buffer.BufferInternal;
import java.lang.ref.PhantomReference;
import java.lang.ref.Reference;
import java.lang.ref.ReferenceQueue;
import java.nio.ByteBuffer;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Off-heap buffers in which {@link FrameDecoder} gathers large inbound frames, within a budget of bytes.
 *
 * <p>Why: 32 senders of 1 MiB messages keep 32 MiB of request frames alive until the store writer has copied their
 * bodies, more than the survivor spaces of the broker's small young generation (conf/jvm.options). Every young
 * collection copied them, promoted them, and the old generation filled with them: a full collection every few
 * tenths of a second (src-docs/performance-notes.md, changes 20, 24 and 30). Off the heap they cost a collection
 * nothing.
 *
 * <p>Lifetime: each frame is one {@link ByteBuffer#allocateDirect} buffer, and nothing frees it by hand. The JDK frees
 * it once neither it nor any view of it (every slice, duplicate, Netty or Vert.x wrapper of it refers to it) is
 * reachable, so a body view held anywhere after the send (a put waiting in the writer's queue, an event, a hook, a
 * response) never reads freed or reused memory. What this costs: the memory returns only after a collection has
 * found the buffer unreachable. The young collections that the send path's ordinary allocation causes do that every
 * few dozen large frames; the budget bounds what can be outstanding in between (or when a holder keeps frames
 * longer): past it, a frame is gathered on the heap as before, so a budget spent only costs the old behaviour.
 *
 * <p>The budget counts bytes handed out and not yet collected: a phantom reference per buffer, drained from its queue
 * at each allocation (no thread of its own). Thread-safe: one instance serves every event loop of a server.
 */
public final class OffHeapFrames {
    /** Frames below this are gathered on the heap: they are few enough in flight to die young. */
    public static final int MIN_FRAME_BYTES = 128 * 1024;
    /** Off-heap bytes a server's frames may hold at once: 32 frames of 1 MiB in flight, and the ones not yet collected. */
    public static final long DEFAULT_BUDGET_BYTES = 192L << 20;

    /** The one budget of every server connection in this process: direct memory is the process's. */
    private static final OffHeapFrames SERVERS = new OffHeapFrames(DEFAULT_BUDGET_BYTES);

    private final long budgetBytes;
    private final AtomicLong outstandingBytes = new AtomicLong();
    private final AtomicLong framesAllocated = new AtomicLong();
    private final ReferenceQueue<ByteBuffer> collected = new ReferenceQueue<>();
    /** Keeps the phantom references reachable until their buffers are collected. */
    private final Set<Tracked> tracked = ConcurrentHashMap.newKeySet();

    private static final class Tracked extends PhantomReference<ByteBuffer> {
        final int bytes;

        Tracked(ByteBuffer buffer, ReferenceQueue<ByteBuffer> queue) {
            super(buffer, queue);
            this.bytes = buffer.capacity();
        }
    }

    /** The budget the remoting server's connections share. */
    public static OffHeapFrames servers() {
        return SERVERS;
    }

    public OffHeapFrames(long budgetBytes) {
        this.budgetBytes = budgetBytes;
    }

    /**
     * An empty buffer of exactly {@code frameBytes} capacity off the heap, or null when the frame is below
     * {@link #MIN_FRAME_BYTES} or the budget has no room for it (the caller gathers it on the heap).
     */
    Buffer allocate(int frameBytes) {
        if (frameBytes < MIN_FRAME_BYTES) {
            return null;
        }
        drainCollected();
        long after = outstandingBytes.addAndGet(frameBytes);
        if (after > budgetBytes) {
            outstandingBytes.addAndGet(-frameBytes);
            return null;
        }
        ByteBuffer memory;
        try {
            memory = ByteBuffer.allocateDirect(frameBytes);
        } catch (OutOfMemoryError e) {
            // the JVM's own direct-memory ceiling: the heap still has room to gather the frame
            outstandingBytes.addAndGet(-frameBytes);
            return null;
        }
        tracked.add(new Tracked(memory, collected));
        framesAllocated.incrementAndGet();
        // a wrapper never frees what it wraps: only the JDK does, once no view of the memory is left
        return BufferInternal.buffer(Unpooled.wrappedBuffer(memory).clear());
    }

    /** Bytes of off-heap frames handed out whose memory has not yet been found unreachable. */
    public long outstandingBytes() {
        drainCollected();
        return outstandingBytes.get();
    }

    /** Frames gathered off the heap so far. */
    public long framesAllocated() {
        return framesAllocated.get();
    }

    private void drainCollected() {
        Reference<? extends ByteBuffer> ref;
        while ((ref = collected.poll()) != null) {
            Tracked t = (Tracked) ref;
            if (tracked.remove(t)) {
                outstandingBytes.addAndGet(-t.bytes);
            }
        }
    }
}

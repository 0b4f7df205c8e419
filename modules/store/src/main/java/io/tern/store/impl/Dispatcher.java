package io.tern.store.impl;

import io.tern.store.ArrivalListener;
import io.tern.store.PutResult;
import io.tern.store.PutResult.PutStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Makes appended records visible, in commit-log order: writes their consume-queue entries (NOT_TYPE and COMMIT
 * records only) and index keys, tells the arrival listeners, then answers the puts. Under SYNC_FLUSH a record
 * is dispatched only once the flushed offset covers it, so no reader ever sees bytes that are not on disk;
 * puts still waiting after syncFlushTimeoutMs are answered FLUSH_DISK_TIMEOUT (and dispatched later), and when
 * the flusher reports a failed fsync the waiting puts are failed with SERVICE_NOT_AVAILABLE.
 *
 * <p>Under ASYNC_FLUSH nothing waits for a flush, so the writer dispatches its own batch ({@link #dispatchNow})
 * and no dispatcher thread runs: one thread hand-off less between a put and the pull it wakes. On two shared
 * cores every hand-off is a wake-up that may wait for a CPU, and the end-to-end tail was made of them.
 *
 * <p>Thread contract: one thread dispatches — the dispatcher thread running {@link #run} under SYNC_FLUSH, the
 * writer calling {@link #dispatchNow} under ASYNC_FLUSH; it alone writes consume queues and the index.
 * {@link #enqueue} from the writer, {@link #wake} from any thread.
 */
final class Dispatcher implements Runnable {
    private static final Logger log = LoggerFactory.getLogger(Dispatcher.class);
    private static final long SCAN_INTERVAL_NANOS = TimeUnit.MILLISECONDS.toNanos(5);

    private final CommitLog commitLog;
    private final ConsumeQueueTable queues;
    private final IndexService index;
    private final StoreState state;
    private final boolean sync;
    private final long syncFlushTimeoutNanos;
    private final CopyOnWriteArrayList<ArrivalListener> listeners;
    private final ConcurrentLinkedQueue<AppendRequest> queue = new ConcurrentLinkedQueue<>();
    private volatile Thread thread;
    private volatile boolean running = true;
    private volatile long dispatchedOffset;
    /** Records of the request being dispatched that got a consume-queue entry; owned by the dispatcher thread. */
    private final List<DispatchRecord> arrived = new ArrayList<>();
    private volatile long lastStoreTimestamp;
    private long lastScanNanos;

    Dispatcher(CommitLog commitLog, ConsumeQueueTable queues, IndexService index, StoreState state, boolean sync,
               long syncFlushTimeoutMs, CopyOnWriteArrayList<ArrivalListener> listeners) {
        this.listeners = listeners;
        this.commitLog = commitLog;
        this.queues = queues;
        this.index = index;
        this.state = state;
        this.sync = sync;
        this.syncFlushTimeoutNanos = TimeUnit.MILLISECONDS.toNanos(syncFlushTimeoutMs);
    }

    /** Recovery: everything before {@code endOffset} is dispatched. */
    void setRecoveredEnd(long endOffset) {
        dispatchedOffset = endOffset;
    }

    /** Every record before this commit-log offset is visible to readers. */
    long dispatchedOffset() {
        return dispatchedOffset;
    }

    long lastStoreTimestamp() {
        return lastStoreTimestamp;
    }

    /** Whether this dispatcher needs its own thread (SYNC_FLUSH); otherwise the writer calls {@link #dispatchNow}. */
    boolean needsThread() {
        return sync;
    }

    /**
     * ASYNC_FLUSH: dispatches, announces and answers the writer's just-published batch on the calling (writer)
     * thread, in order. A failing dispatch is retried as on the dispatcher thread, holding the writer back.
     */
    void dispatchNow(List<AppendRequest> requests) {
        for (AppendRequest r : requests) {
            if (r.isControl()) {
                runControl(r);
                continue;
            }
            while (!tryDispatch(r)) {
                // retried like on the dispatcher thread; tryDispatch already paused
            }
            publish(r);
        }
    }

    void enqueue(List<AppendRequest> requests) {
        if (!requests.isEmpty()) {
            queue.addAll(requests);
            LockSupport.unpark(thread);
        }
    }

    void wake() {
        LockSupport.unpark(thread);
    }

    /** Ends the loop once everything queued is dispatched (the caller flushed first under SYNC_FLUSH). */
    void stop() {
        running = false;
        LockSupport.unpark(thread);
    }

    boolean isIdle() {
        return queue.isEmpty();
    }

    @Override
    public void run() {
        thread = Thread.currentThread();
        while (true) {
            AppendRequest head = queue.peek();
            if (head == null) {
                if (!running) {
                    return;
                }
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
                continue;
            }
            if (head.isControl()) {
                runControl(head);
                queue.poll();
                continue;
            }
            if (sync && head.endOffset > commitLog.flushedOffset()) {
                if (!running && state.hasFault()) {
                    failWaiting();
                    return;
                }
                answerWaiting();
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
                continue;
            }
            if (!tryDispatch(head)) {
                continue;
            }
            queue.poll();
            publish(head);
        }
    }

    /** Dispatches one request; on failure logs it, pauses 100 ms and returns false so the caller retries. */
    private boolean tryDispatch(AppendRequest r) {
        try {
            dispatch(r);
            return true;
        } catch (IOException | RuntimeException e) {
            log.error("dispatch of commit log offset {} failed; retrying", r.physicalOffsets[0], e);
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(100));
            return false;
        }
    }

    /** Makes a dispatched request visible, tells the listeners, answers the put — in that order. */
    private void publish(AppendRequest r) {
        // publish before waking anyone: a woken pull's consumer may look the record up by offset at once
        dispatchedOffset = r.endOffset;
        notifyArrivals();
        r.complete(r.resultWith(PutStatus.PUT_OK));
    }

    private void runControl(AppendRequest r) {
        try {
            r.dispatcherAction.run();
            r.complete(PutResult.failure(PutStatus.PUT_OK, "control"));
        } catch (RuntimeException e) {
            r.future.completeExceptionally(e);
        }
    }

    private void dispatch(AppendRequest r) throws IOException {
        arrived.clear();
        for (DispatchRecord d : r.dispatch) {
            if (dispatch(d, true)) {
                arrived.add(d);
            }
        }
    }

    private void notifyArrivals() {
        for (DispatchRecord d : arrived) {
            for (ArrivalListener l : listeners) {
                try {
                    l.onArrival(d.topic(), d.queueId(), d.queueOffset(), d.tagsCode(), d.storeTimestamp());
                } catch (RuntimeException e) {
                    log.warn("arrival listener failed", e);
                }
            }
        }
        arrived.clear();
    }

    /**
     * Writes one record's consume-queue entry and index keys. Returns whether a new consume-queue entry was
     * written that listeners should hear of (after {@link #dispatchedOffset} covers it); recovery passes
     * {@code live} false.
     */
    boolean dispatch(DispatchRecord d, boolean live) throws IOException {
        boolean appended = false;
        if (RecordCodec.isDispatchedType(d.sysFlag())) {
            ConsumeQueue cq = queues.findOrCreate(d.topic(), d.queueId());
            appended = cq.append(d.queueOffset(), d.physicalOffset(), d.sizeBytes(), d.tagsCode()) && live;
        }
        if (index != null && d.physicalOffset() > index.lastIndexedOffset()) {
            index.index(d);
        }
        lastStoreTimestamp = d.storeTimestamp();
        return appended;
    }

    /** SYNC_FLUSH, head not yet on disk: fail waiters on a flush fault, time out the ones waiting too long. */
    private void answerWaiting() {
        if (state.isStopped(StoreState.Stop.FLUSH_FAILED)) {
            failWaiting();
            return;
        }
        long now = System.nanoTime();
        if (now - lastScanNanos < SCAN_INTERVAL_NANOS) {
            return;
        }
        lastScanNanos = now;
        for (AppendRequest r : queue) {
            if (r.isControl() || r.isCompleted()) {
                continue;
            }
            if (now - r.createdNanos < syncFlushTimeoutNanos) {
                break;
            }
            r.complete(r.resultWith(PutStatus.FLUSH_DISK_TIMEOUT));
        }
    }

    private void failWaiting() {
        for (AppendRequest r : queue) {
            if (!r.isControl() && !r.isCompleted() && r.endOffset > commitLog.flushedOffset()) {
                if (r.complete(PutResult.failure(PutStatus.SERVICE_NOT_AVAILABLE,
                        "not stored durably, store turned read-only: " + state.notWritableReason()))) {
                    state.putFailureCount.addAndGet(r.messages.length);
                }
            }
        }
    }
}

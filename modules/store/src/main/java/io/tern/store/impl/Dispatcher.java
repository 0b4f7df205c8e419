package io.tern.store.impl;

import io.tern.store.ArrivalListener;
import io.tern.store.PutResult;
import io.tern.store.PutResult.PutStatus;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/**
 * Makes appended records visible, in commit-log order: writes their consume-queue entries (NOT_TYPE and COMMIT
 * records only) and index keys, tells the arrival listeners, then answers the puts. Under SYNC_FLUSH a record
 * is dispatched only once the flushed offset covers it, so no reader ever sees bytes that are not on disk;
 * puts still waiting after syncFlushTimeoutMs are answered FLUSH_DISK_TIMEOUT (and dispatched later), and when
 * the flusher reports a failed fsync the waiting puts are failed with SERVICE_NOT_AVAILABLE.
 *
 * <p>Under SYNC_FLUSH the dispatcher is a worker verticle on its own single-thread pool (tern-store-dispatcher):
 * the writer {@link #enqueue}s each batch and the flusher {@link #wake}s it after each fsync, through a
 * {@link DrainSignal}; while requests wait for their flush, a timer on its context brings it back when the oldest
 * of them times out. (A timer every few milliseconds cost an event-loop wake-up each; requests are answered in
 * order, so the oldest waiting one always times out first.)
 *
 * <p>Under ASYNC_FLUSH nothing waits for a flush, so the writer dispatches its own batch ({@link #dispatchNow})
 * and the verticle is not deployed: one thread hand-off less between a put and the pull it wakes. On two shared
 * cores every hand-off is a wake-up that may wait for a CPU, and the end-to-end tail was made of them.
 *
 * <p>Thread contract: one thread dispatches — the dispatcher's context under SYNC_FLUSH, the writer calling
 * {@link #dispatchNow} under ASYNC_FLUSH; it alone writes consume queues and the index (and recovery, before
 * either runs). {@link #enqueue} from the writer, {@link #wake} from any thread.
 */
final class Dispatcher extends VerticleBase {
    private static final Logger log = LoggerFactory.getLogger(Dispatcher.class);
    private static final long RETRY_MS = 100;
    /** Requests dispatched per task before the dispatcher yields its thread to the other tasks of its context. */
    private static final int REQUESTS_PER_TURN = 4096;

    private final CommitLog commitLog;
    private final ConsumeQueueTable queues;
    private final IndexService index;
    private final StoreState state;
    private final boolean sync;
    private final long syncFlushTimeoutNanos;
    private final CopyOnWriteArrayList<ArrivalListener> listeners;
    private final ConcurrentLinkedQueue<AppendRequest> queue = new ConcurrentLinkedQueue<>();
    private final DrainSignal signal = new DrainSignal(v -> drain());
    /**
     * Requests enqueued and not yet taken off the queue, as of the dispatcher's last sleep: exact while it sleeps,
     * high while it runs (it then needs no wake-up); briefly negative when it took requests before the writer
     * counted them.
     */
    private final AtomicInteger queued = new AtomicInteger();
    /** Requests taken since the count was last settled; dispatcher only. */
    private int taken;
    private final BooleanSupplier requestsQueued = () -> !queue.isEmpty();
    private final BooleanSupplier headReady = this::headReady;
    private volatile long dispatchedOffset;
    /** Records of the request being dispatched that got a consume-queue entry; owned by the dispatching thread. */
    private final List<DispatchRecord> arrived = new ArrayList<>();
    private volatile long lastStoreTimestamp;
    /**
     * When (System.nanoTime) the oldest request that waited at the last scan times out; no request still waiting
     * times out before. {@link Long#MAX_VALUE}: unknown, scan.
     */
    private long nextTimeoutNanos = Long.MAX_VALUE;
    private long scanTimerId = -1;
    private long retryTimerId = -1;
    private boolean stopped;

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

    /** Whether this dispatcher runs as its own verticle (SYNC_FLUSH); else the writer calls {@link #dispatchNow}. */
    boolean needsThread() {
        return sync;
    }

    /**
     * ASYNC_FLUSH: dispatches, announces and answers the writer's just-published batch on the calling (writer)
     * thread, in order. A failing dispatch is retried every 100 ms, holding the writer back.
     */
    void dispatchNow(List<AppendRequest> requests) {
        for (AppendRequest r : requests) {
            if (r.isControl()) {
                runControl(r);
                continue;
            }
            while (!tryDispatch(r)) {
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(RETRY_MS));
            }
            publish(r);
        }
    }

    /**
     * Writer, SYNC_FLUSH, before it publishes the batch's bytes: queues the batch. The flush that covers it reads
     * the written offset after this, so its wake-up finds the batch queued; the writer wakes the dispatcher itself
     * only when the queue was empty (a request now waits: the timeout scan must start) or a control action needs
     * no flush. A dispatcher with requests queued is awake, or asleep waiting for a flush with its scan timer set.
     */
    void enqueue(List<AppendRequest> requests) {
        if (requests.isEmpty()) {
            return;
        }
        boolean control = false;
        for (AppendRequest r : requests) {
            control |= r.isControl();
        }
        queue.addAll(requests);
        if (queued.getAndAdd(requests.size()) <= 0 || control) {
            signal.wake();
        }
    }

    /** The flushed offset moved (or a flush failed): requests waiting for it may go. */
    void wake() {
        signal.wake();
    }

    @Override
    public Future<?> start() {
        signal.bind(context);
        return Future.succeededFuture();
    }

    /**
     * Dispatches everything queued (the store flushed it first); what a failed fsync left unflushed is failed,
     * and a control action behind it fails too. The drain never runs again.
     */
    @Override
    public Future<?> stop() {
        stopped = true;
        signal.retire();
        vertx.cancelTimer(scanTimerId);
        vertx.cancelTimer(retryTimerId);
        AppendRequest head;
        while ((head = queue.peek()) != null) {
            if (head.isControl()) {
                runControl(head);
            } else if (head.endOffset > commitLog.flushedOffset()) {
                failWaiting();
                failRemainingControls();
                break;
            } else if (tryDispatch(head)) {
                publish(head);
            } else {
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(RETRY_MS));
                continue;
            }
            take();
        }
        return Future.succeededFuture();
    }

    /** SYNC_FLUSH drain: dispatches in order every request the flushed offset covers, then sleeps. */
    private void drain() {
        if (stopped) {
            return;
        }
        for (int n = 0; n < REQUESTS_PER_TURN; n++) {
            AppendRequest head = queue.peek();
            if (head == null) {
                settleTaken();
                if (signal.sleepUnless(requestsQueued)) {
                    continue;
                }
                return;
            }
            if (head.isControl()) {
                runControl(head);
                take();
                continue;
            }
            if (head.endOffset > commitLog.flushedOffset()) {
                answerWaiting();
                scanAtNextTimeout();
                settleTaken();
                if (signal.sleepUnless(headReady)) {
                    continue;
                }
                return;
            }
            if (!tryDispatch(head)) {
                // keeps the turn: the timer runs the drain again
                retryTimerId = vertx.setTimer(RETRY_MS, id -> {
                    retryTimerId = -1;
                    drain();
                });
                return;
            }
            take();
            publish(head);
        }
        signal.yieldTurn();
    }

    /** Takes the head off the queue; the count follows in bulk ({@link #settleTaken}), one atomic add per sleep. */
    private void take() {
        queue.poll();
        taken++;
    }

    /** Before sleeping: the writer must see an empty queue as such, to wake the dispatcher for the next batch. */
    private void settleTaken() {
        if (taken != 0) {
            queued.addAndGet(-taken);
            taken = 0;
        }
    }

    /** The head can go: a control action, or a request the flushed offset covers. */
    private boolean headReady() {
        AppendRequest head = queue.peek();
        return head != null && (head.isControl() || head.endOffset <= commitLog.flushedOffset());
    }

    /**
     * While the head waits for its flush: come back when the oldest waiting request times out; when every waiting
     * request is answered already, after a whole timeout (a request queued from now on cannot time out earlier).
     */
    private void scanAtNextTimeout() {
        if (scanTimerId == -1) {
            long delayNanos = nextTimeoutNanos != Long.MAX_VALUE ? nextTimeoutNanos - System.nanoTime()
                    : syncFlushTimeoutNanos;
            long delayMs = TimeUnit.NANOSECONDS.toMillis(delayNanos) + 1;
            scanTimerId = vertx.setTimer(Math.max(1, delayMs), id -> {
                scanTimerId = -1;
                signal.wake();
            });
        }
    }

    /** Dispatches one request; on failure logs it and returns false so the caller retries after a pause. */
    private boolean tryDispatch(AppendRequest r) {
        try {
            dispatch(r);
            return true;
        } catch (IOException | RuntimeException e) {
            log.error("dispatch of commit log offset {} failed; retrying", r.physicalOffsets[0], e);
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
        if (nextTimeoutNanos != Long.MAX_VALUE && now - nextTimeoutNanos < 0) {
            return;
        }
        nextTimeoutNanos = Long.MAX_VALUE;
        for (AppendRequest r : queue) {
            if (r.isControl() || r.isCompleted()) {
                continue;
            }
            long timeoutAt = r.createdNanos + syncFlushTimeoutNanos;
            if (now - timeoutAt < 0) {
                nextTimeoutNanos = timeoutAt;
                break;
            }
            r.complete(r.resultWith(PutStatus.FLUSH_DISK_TIMEOUT));
        }
    }

    private void failRemainingControls() {
        for (AppendRequest r : queue) {
            if (r.isControl()) {
                r.future.completeExceptionally(new IllegalStateException("store shut down"));
            }
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

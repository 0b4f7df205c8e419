package io.tern.store.impl;

import io.vertx.core.Context;
import io.vertx.core.Handler;

import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

/**
 * How other threads get a store worker verticle (writer, flusher, dispatcher) to drain its work: the owner's
 * drain runs as a task on the owner's worker context, and at most one such task is scheduled or running at a
 * time. The owner holds the turn until it finds nothing to do; it then announces that it sleeps, and only the
 * thread that turns {@code sleeping} off again schedules the next drain. So a burst of submissions costs one task
 * (one wake-up of the worker thread), never one per submission, and the drain takes the whole burst as a batch.
 *
 * <p>The flag starts "awake": submissions made before {@link #bind} only queue their work, and the drain that
 * {@link #bind} schedules finds it. After {@link #retire} the flag stays awake, so nothing is scheduled on a
 * context that is being undeployed.
 *
 * <p>Thread contract: {@link #wake} from any thread; {@link #bind}, {@link #sleepUnless}, {@link #yieldTurn} and
 * {@link #retire} on the owner's context only.
 */
final class DrainSignal {
    private final AtomicBoolean sleeping = new AtomicBoolean();
    private final AtomicInteger wakeUps = new AtomicInteger();
    private final Handler<Void> drain;
    private volatile Context context;
    /** Sleeps announced; written by the owner only. */
    private volatile long naps;

    DrainSignal(Handler<Void> drain) {
        this.drain = drain;
    }

    /** Owner, when its verticle starts: from now on drains run on {@code context}; the first runs at once. */
    void bind(Context context) {
        this.context = context;
        schedule();
    }

    /** Any thread, after queuing work: when the owner sleeps, schedules one drain on its context. */
    void wake() {
        if (sleeping.get() && sleeping.compareAndSet(true, false)) {
            wakeUps.incrementAndGet();
            schedule();
        }
    }

    /**
     * Owner, having found nothing to do: announces the sleep, then checks {@code workArrived} once more (a
     * submitter that queued before the announcement saw the owner awake and scheduled nothing). True when work
     * did arrive and the owner took its turn back: it keeps draining in the same task.
     */
    boolean sleepUnless(BooleanSupplier workArrived) {
        naps++;
        sleeping.set(true);
        return workArrived.getAsBoolean() && sleeping.compareAndSet(true, false);
    }

    /**
     * Owner, still holding the turn: runs the drain again as a new task, so other tasks of the context (timers,
     * the undeployment) are not held back by a drain that never runs dry, and no task runs for long.
     */
    void yieldTurn() {
        schedule();
    }

    /** Owner, when its verticle stops: no drain is ever scheduled again. */
    void retire() {
        sleeping.set(false);
    }

    /** Sleeps the owner announced (tests). */
    long naps() {
        return naps;
    }

    /** Times a submitter woke the sleeping owner (tests). */
    int wakeUps() {
        return wakeUps.get();
    }

    private void schedule() {
        Context c = context;
        if (c == null) {
            return;
        }
        try {
            c.runOnContext(drain);
        } catch (RejectedExecutionException e) {
            // the worker pool is closed: the store is stopping and answers what is still queued itself
        }
    }
}

package io.tern.store.impl;

import io.vertx.core.Context;
import io.vertx.core.Handler;

import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/**
 * How other threads get a store worker verticle (writer, flusher, dispatcher) to drain its work. The owner's
 * drain runs as a task on the owner's worker context, and at most one such task is scheduled or running at a
 * time: the owner holds the turn until it finds nothing to do, then announces that it sleeps, and only the thread
 * that ends that sleep wakes it. A burst of submissions therefore costs one wake-up, never one per submission,
 * and the drain takes the whole burst as a batch.
 *
 * <p>The sleep has two stages. First the owner naps inside its task, parked for up to {@link #NAP_NANOS}; the
 * waker then only unparks it, as the store's plain threads were woken. Only when the nap passes without work does
 * the task end, and the next waker schedules a new drain on the context. Scheduling a task costs the waker Vert.x's
 * task queue and the pool's blocking queue, and the woken thread their locks: under SYNC_FLUSH, where each batch
 * passes three hand-offs, waking every time through a task cost a fifth more CPU per stored message than the
 * threads had (see src-docs/performance-notes.md). An idle verticle holds no task.
 *
 * <pre>
 *            owner finds no work            nap passes without work
 *   RUNNING ---------------------&gt; NAPPING ------------------------&gt; ASLEEP
 *      ^                              |                                  |
 *      +---- waker: CAS, unpark ------+                                  |
 *      +---- waker: CAS, schedule a drain on the context ----------------+
 * </pre>
 *
 * <p>The state starts RUNNING: submissions made before {@link #bind} only queue their work, and the drain that
 * {@link #bind} schedules finds it. After {@link #retire} it stays RUNNING, so nothing is scheduled on a context
 * that is being undeployed.
 *
 * <p>Thread contract: {@link #wake} from any thread; {@link #bind}, {@link #sleepUnless}, {@link #yieldTurn} and
 * {@link #retire} on the owner's context only.
 */
final class DrainSignal {
    /** How long an idle owner stays parked in its task before it ends it. */
    static final long NAP_NANOS = TimeUnit.MILLISECONDS.toNanos(5);
    private static final int RUNNING = 0;
    private static final int NAPPING = 1;
    private static final int ASLEEP = 2;

    private final AtomicInteger state = new AtomicInteger(RUNNING);
    private final AtomicInteger wakeUps = new AtomicInteger();
    private final Handler<Void> drain;
    private volatile Context context;
    private volatile Thread owner;
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

    /** Any thread, after queuing work: ends the owner's sleep, if it sleeps. */
    void wake() {
        while (true) {
            int s = state.get();
            if (s == RUNNING) {
                return;
            }
            if (state.compareAndSet(s, RUNNING)) {
                wakeUps.incrementAndGet();
                if (s == NAPPING) {
                    LockSupport.unpark(owner);
                } else {
                    schedule();
                }
                return;
            }
        }
    }

    /**
     * Owner, having found nothing to do: announces the sleep, checks {@code workArrived} once more (a submitter
     * that queued before the announcement saw the owner running and woke nobody), then naps. True when the owner
     * has the turn again and keeps draining in the same task: work arrived, or a waker ended the nap. False when
     * the nap passed: the task must end, and the next waker schedules a new one.
     */
    boolean sleepUnless(BooleanSupplier workArrived) {
        naps++;
        owner = Thread.currentThread();
        state.set(NAPPING);
        if (workArrived.getAsBoolean()) {
            // a waker that saw NAPPING has flipped it already; its unpark leaves a permit, harmless
            state.compareAndSet(NAPPING, RUNNING);
            return true;
        }
        long deadline = System.nanoTime() + NAP_NANOS;
        long left;
        while (state.get() == NAPPING && (left = deadline - System.nanoTime()) > 0
                && !Thread.currentThread().isInterrupted()) {
            LockSupport.parkNanos(this, left);
        }
        return !state.compareAndSet(NAPPING, ASLEEP);
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
        state.set(RUNNING);
    }

    /** Sleeps the owner announced (tests). */
    long naps() {
        return naps;
    }

    /** Times a waker ended a sleep of the owner (tests). */
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

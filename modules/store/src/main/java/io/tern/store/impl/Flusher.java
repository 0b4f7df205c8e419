package io.tern.store.impl;

import io.tern.store.StoreConfig;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * Moves the commit log's flushed offset forward; a worker verticle on its own single-thread pool
 * (tern-store-flusher).
 * <ul>
 *   <li>SYNC_FLUSH: group commit. Woken by the writer after each batch (through a {@link DrainSignal}), it fsyncs
 *   everything written so far in one call, so one fsync covers every append before it however many there are;
 *   the dispatcher answers those puts after.</li>
 *   <li>ASYNC_FLUSH: every flushIntervalCommitLogMs (a timer on its context), when at least
 *   flushCommitLogLeastPages pages are dirty or flushCommitLogThoroughIntervalMs passed since the last flush.</li>
 * </ul>
 * A failed fsync turns the store read-only (the dispatcher then fails the puts waiting for it) and is retried
 * every faultRetryIntervalMs; the first success makes the store writable again.
 *
 * <p>Thread contract: flushes run on the flusher's context only ({@link #flushAll} schedules one there);
 * {@link #wake} from any thread.
 */
final class Flusher extends VerticleBase {
    private static final Logger log = LoggerFactory.getLogger(Flusher.class);
    private static final int PAGE_BYTES = 4096;
    /** Group commits per task before the flusher yields its thread to the other tasks of its context. */
    private static final int FLUSHES_PER_TURN = 16;

    private final CommitLog commitLog;
    private final StoreConfig config;
    private final StoreState state;
    private final StoreHooks hooks;
    private final Runnable onFlushed;
    private final boolean sync;
    private final DrainSignal signal = new DrainSignal(v -> flushWritten());
    private final BooleanSupplier unflushed = this::unflushed;
    private long lastFlushNanos = System.nanoTime();
    private long timerId = -1;
    private volatile boolean stopped;

    Flusher(CommitLog commitLog, StoreConfig config, StoreState state, StoreHooks hooks, Runnable onFlushed) {
        this.commitLog = commitLog;
        this.config = config;
        this.state = state;
        this.hooks = hooks;
        this.onFlushed = onFlushed;
        this.sync = config.flushMode == StoreConfig.FlushMode.SYNC_FLUSH;
    }

    /** The writer published new bytes: under SYNC_FLUSH, group-commit them. */
    void wake() {
        if (sync) {
            signal.wake();
        }
    }

    @Override
    public Future<?> start() {
        if (sync) {
            signal.bind(context);
        } else {
            timerId = vertx.setTimer(Math.max(1, config.flushIntervalCommitLogMs), id -> periodicFlush());
        }
        return Future.succeededFuture();
    }

    /** Flushes once more whatever is still written but not flushed; no flush runs after this. */
    @Override
    public Future<?> stop() {
        stopped = true;
        signal.retire();
        cancelTimer();
        if (commitLog.writtenOffset() > commitLog.flushedOffset()) {
            flushOnce();
        }
        return Future.succeededFuture();
    }

    /**
     * Any thread: flushes everything written so far, on the flusher's context (after whatever flush it is doing);
     * completes with whether the fsync succeeded. Once the verticle is gone, flushes on the calling thread.
     */
    Future<Boolean> flushAll() {
        Promise<Boolean> done = Promise.promise();
        if (context != null && !stopped) {
            try {
                context.runOnContext(v -> done.complete(flushOnce()));
                return done.future();
            } catch (RejectedExecutionException e) {
                // undeployed meanwhile: no flush runs there any more
            }
        }
        return Future.succeededFuture(flushOnce());
    }

    /** SYNC_FLUSH drain: group commits until nothing written is unflushed; a failure backs off and retries. */
    private void flushWritten() {
        if (stopped) {
            return;
        }
        int flushes = 0;
        while (flushes < FLUSHES_PER_TURN) {
            if (unflushed()) {
                flushes++;
                if (!flushOnce()) {
                    // keeps the turn: wake-ups meanwhile schedule nothing, the retry flushes what they announced
                    timerId = vertx.setTimer(Math.max(1, config.faultRetryIntervalMs), id -> {
                        timerId = -1;
                        flushWritten();
                    });
                    return;
                }
            } else if (!signal.sleepUnless(unflushed)) {
                return;
            }
        }
        signal.yieldTurn();
    }

    /** ASYNC_FLUSH timer: flushes when enough is dirty or the thorough interval passed, then sets the next timer. */
    private void periodicFlush() {
        timerId = -1;
        if (stopped) {
            return;
        }
        long delayMs = Math.max(1, config.flushIntervalCommitLogMs);
        long dirtyPages = (commitLog.writtenOffset() - commitLog.flushedOffset()) / PAGE_BYTES;
        boolean thorough = System.nanoTime() - lastFlushNanos
                >= TimeUnit.MILLISECONDS.toNanos(config.flushCommitLogThoroughIntervalMs);
        if (dirtyPages >= config.flushCommitLogLeastPages
                || (thorough && commitLog.writtenOffset() > commitLog.flushedOffset())) {
            if (!flushOnce()) {
                delayMs = Math.max(1, config.faultRetryIntervalMs);
            }
        }
        timerId = vertx.setTimer(delayMs, id -> periodicFlush());
    }

    private boolean unflushed() {
        return commitLog.writtenOffset() > commitLog.flushedOffset();
    }

    private void cancelTimer() {
        if (timerId != -1) {
            vertx.cancelTimer(timerId);
            timerId = -1;
        }
    }

    /** Flushes everything written so far; false (and the store read-only) when the fsync failed. */
    boolean flushOnce() {
        long target = commitLog.writtenOffset();
        try {
            hooks.beforeFlush();
            commitLog.flush(target);
            lastFlushNanos = System.nanoTime();
            if (state.isStopped(StoreState.Stop.FLUSH_FAILED)) {
                log.warn("commit log fsync succeeded again at offset {}: store writable", target);
                state.clear(StoreState.Stop.FLUSH_FAILED);
            }
            onFlushed.run();
            return true;
        } catch (Throwable e) {
            if (!state.isStopped(StoreState.Stop.FLUSH_FAILED)) {
                log.error("commit log fsync failed; store turned read-only until a retry succeeds", e);
                state.ioFaultCount.incrementAndGet();
            }
            state.stop(StoreState.Stop.FLUSH_FAILED, "commit log fsync failed: " + e);
            onFlushed.run();
            return false;
        }
    }
}

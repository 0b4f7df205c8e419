package io.tern.store.impl;

import io.tern.store.StoreConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Moves the commit log's flushed offset forward.
 * <ul>
 *   <li>SYNC_FLUSH: group commit. Woken by the writer, it fsyncs everything written so far in one call, so one
 *   fsync covers every append before it however many there are; the dispatcher answers those puts after.</li>
 *   <li>ASYNC_FLUSH: every flushIntervalCommitLogMs, when at least flushCommitLogLeastPages pages are dirty or
 *   flushCommitLogThoroughIntervalMs passed since the last flush.</li>
 * </ul>
 * A failed fsync turns the store read-only (the dispatcher then fails the puts waiting for it) and is retried
 * every faultRetryIntervalMs; the first success makes the store writable again.
 *
 * <p>Thread contract: {@link #run} on the flusher thread only; {@link #wake} from any thread.
 */
final class Flusher implements Runnable {
    private static final Logger log = LoggerFactory.getLogger(Flusher.class);
    private static final int PAGE_BYTES = 4096;

    private final CommitLog commitLog;
    private final StoreConfig config;
    private final StoreState state;
    private final StoreHooks hooks;
    private final Runnable onFlushed;
    private final boolean sync;
    private volatile Thread thread;
    private volatile boolean running = true;
    private long lastFlushNanos = System.nanoTime();

    Flusher(CommitLog commitLog, StoreConfig config, StoreState state, StoreHooks hooks, Runnable onFlushed) {
        this.commitLog = commitLog;
        this.config = config;
        this.state = state;
        this.hooks = hooks;
        this.onFlushed = onFlushed;
        this.sync = config.flushMode == StoreConfig.FlushMode.SYNC_FLUSH;
    }

    void wake() {
        if (sync) {
            LockSupport.unpark(thread);
        }
    }

    void stop() {
        running = false;
        LockSupport.unpark(thread);
    }

    @Override
    public void run() {
        thread = Thread.currentThread();
        while (running) {
            if (sync) {
                if (commitLog.writtenOffset() > commitLog.flushedOffset()) {
                    flushOrBackOff();
                } else {
                    LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
                }
            } else {
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(config.flushIntervalCommitLogMs));
                long dirtyPages = (commitLog.writtenOffset() - commitLog.flushedOffset()) / PAGE_BYTES;
                boolean thorough = System.nanoTime() - lastFlushNanos
                        >= TimeUnit.MILLISECONDS.toNanos(config.flushCommitLogThoroughIntervalMs);
                if (dirtyPages >= config.flushCommitLogLeastPages
                        || (thorough && commitLog.writtenOffset() > commitLog.flushedOffset())) {
                    flushOrBackOff();
                }
            }
        }
    }

    private void flushOrBackOff() {
        if (!flushOnce()) {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(Math.max(1, config.faultRetryIntervalMs)));
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

package io.tern.store.impl;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;

import java.util.concurrent.RejectedExecutionException;

/**
 * The store's periodic work, a worker verticle on its own single-thread pool (tern-store-housekeeping): every
 * flushIntervalConsumeQueueMs the {@link CheckpointService} (consume-queue and index flush, checkpoint); every
 * diskCheckIntervalMs, the first time at once, the {@link CleanupService} (hard limit, allocation retry,
 * retention). Each timer is set again when its run ends, so a slow run delays the next instead of piling up runs.
 *
 * <p>Thread contract: the runs happen on the housekeeping context; {@link #checkpointSoon} from any thread.
 */
final class Housekeeping extends VerticleBase {
    private final CheckpointService checkpoints;
    private final CleanupService cleanup;
    private final long checkpointIntervalMs;
    private final long diskCheckIntervalMs;
    private long checkpointTimer = -1;
    private long cleanupTimer = -1;
    private volatile boolean stopped;

    Housekeeping(CheckpointService checkpoints, CleanupService cleanup, long checkpointIntervalMs,
                 long diskCheckIntervalMs) {
        this.checkpoints = checkpoints;
        this.cleanup = cleanup;
        this.checkpointIntervalMs = Math.max(1, checkpointIntervalMs);
        this.diskCheckIntervalMs = Math.max(1, diskCheckIntervalMs);
    }

    @Override
    public Future<?> start() {
        checkpointTimer = vertx.setTimer(checkpointIntervalMs, id -> checkpoint());
        context.runOnContext(v -> checkDisk());
        return Future.succeededFuture();
    }

    /** Cancels the timers; a run under way has finished (it ran on this context before). */
    @Override
    public Future<?> stop() {
        stopped = true;
        vertx.cancelTimer(checkpointTimer);
        vertx.cancelTimer(cleanupTimer);
        return Future.succeededFuture();
    }

    /** Any thread: writes a checkpoint on the housekeeping context as soon as it is free. */
    void checkpointSoon() {
        if (stopped) {
            return;
        }
        try {
            context.runOnContext(v -> {
                if (!stopped) {
                    checkpoints.run();
                }
            });
        } catch (RejectedExecutionException e) {
            // undeployed meanwhile: the store writes its final checkpoint itself
        }
    }

    private void checkpoint() {
        if (stopped) {
            return;
        }
        checkpoints.run();
        checkpointTimer = vertx.setTimer(checkpointIntervalMs, id -> checkpoint());
    }

    private void checkDisk() {
        if (stopped) {
            return;
        }
        cleanup.run(false);
        cleanupTimer = vertx.setTimer(diskCheckIntervalMs, id -> checkDisk());
    }
}

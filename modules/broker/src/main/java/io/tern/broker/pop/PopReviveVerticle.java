package io.tern.broker.pop;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;

/**
 * Runs the {@link PopReviver} every {@code popReviveIntervalMs} on its own event loop, one round at a time (a round
 * still writing when the timer fires is not overlapped). Deployed by a master's broker verticle; undeployed before
 * the store stops.
 */
public final class PopReviveVerticle extends VerticleBase {
    private final PopReviver reviver;
    private final long intervalMs;
    private long timerId = -1;
    private boolean running;

    PopReviveVerticle(PopReviver reviver, long intervalMs) {
        this.reviver = reviver;
        this.intervalMs = Math.max(10, intervalMs);
    }

    @Override
    public Future<?> start() {
        timerId = vertx.setPeriodic(intervalMs, id -> round());
        return Future.succeededFuture();
    }

    private void round() {
        if (running) {
            return;
        }
        running = true;
        Future.fromCompletionStage(reviver.reviveDue(System.currentTimeMillis()), context)
                .onComplete(ar -> running = false);
    }

    @Override
    public Future<?> stop() {
        vertx.cancelTimer(timerId);
        return Future.succeededFuture();
    }
}

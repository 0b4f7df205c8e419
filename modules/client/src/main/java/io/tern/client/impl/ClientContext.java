package io.tern.client.impl;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.function.Supplier;

/**
 * The one event-loop context a client runs on. Public calls from other threads hop onto it, and completions of
 * futures that finish elsewhere are moved back onto it, so the client's state is only ever touched by one thread and
 * needs no locks.
 *
 * <p>Thread-safe.
 */
final class ClientContext {
    final Vertx vertx;
    final Context context;

    ClientContext(Vertx vertx) {
        this.vertx = vertx;
        // the caller's context (tasks on one context never run concurrently, event loop or worker alike), else a
        // new event-loop context
        this.context = vertx.getOrCreateContext();
    }

    boolean isCurrent() {
        return Vertx.currentContext() == context;
    }

    void execute(Runnable task) {
        if (isCurrent()) {
            task.run();
        } else {
            context.runOnContext(v -> task.run());
        }
    }

    /** Runs {@code work} on the context; the returned future completes there. */
    <T> Future<T> call(Supplier<Future<T>> work) {
        if (isCurrent()) {
            return invoke(work);
        }
        Promise<T> promise = Promise.promise();
        context.runOnContext(v -> onContext(invoke(work)).onComplete(promise));
        return onContext(promise.future());
    }

    private static <T> Future<T> invoke(Supplier<Future<T>> work) {
        try {
            return work.get();
        } catch (RuntimeException e) {
            return Future.failedFuture(e);
        }
    }

    /** {@code future}, with its completion delivered on the client's context. */
    <T> Future<T> onContext(Future<T> future) {
        Promise<T> promise = Promise.promise();
        future.onComplete(ar -> {
            if (isCurrent()) {
                promise.handle(ar);
            } else {
                context.runOnContext(v -> promise.handle(ar));
            }
        });
        return promise.future();
    }

    long setTimer(long delayMs, Runnable task) {
        return vertx.setTimer(Math.max(1, delayMs), id -> execute(task));
    }

    long setPeriodic(long intervalMs, Runnable task) {
        return vertx.setPeriodic(intervalMs, id -> execute(task));
    }

    void cancelTimer(long id) {
        vertx.cancelTimer(id);
    }
}

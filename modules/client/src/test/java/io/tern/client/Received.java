package io.tern.client;

import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/** Collects what a consumer's handler got; the waits poll from the JUnit thread. */
final class Received implements Function<TernMessage, Future<Void>> {
    private final List<TernMessage> messages = new ArrayList<>();
    private boolean offEventLoop;

    @Override
    public synchronized Future<Void> apply(TernMessage message) {
        messages.add(message);
        offEventLoop |= !io.vertx.core.Context.isOnEventLoopThread();
        return Future.succeededFuture();
    }

    synchronized List<TernMessage> snapshot() {
        return new ArrayList<>(messages);
    }

    /** True when a message was handed over outside a Vert.x event-loop thread. */
    synchronized boolean sawOffEventLoop() {
        return offEventLoop;
    }

    synchronized int count() {
        return messages.size();
    }

    List<TernMessage> awaitAtLeast(int n) {
        long deadline = System.currentTimeMillis() + TernTestSupport.WAIT_SECONDS * 1000;
        while (count() < n) {
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError("received " + count() + " messages, expected at least " + n);
            }
            TernTestSupport.sleep(20);
        }
        return snapshot();
    }
}

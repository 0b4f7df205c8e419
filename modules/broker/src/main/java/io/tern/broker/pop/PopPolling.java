package io.tern.broker.pop;

import io.tern.broker.pull.PullHoldTable;
import io.tern.broker.pull.PullRequest;
import io.tern.remoting.RemotingChannel;
import io.tern.store.MessageFilter;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Long polling of POP_MESSAGE and NOTIFICATION on the pulls' machinery: a polling request parks one
 * {@link PullRequest#waiter} per queue it reads (in the {@link PullHoldTable}, woken by the store's arrivals) and
 * owns one timer; whichever comes first — an arrival on any of its queues or the timer — takes every waiter back
 * and runs the request's continuation once. Counts the parked polls per {@code topic@group@queueId} for
 * POLLING_INFO and refuses new ones past {@code popPollingSize} per key or {@code maxPopPollingSize} in all.
 *
 * <p>Park on the request's event loop: the timer and the wake-ups run there.
 */
final class PopPolling {
    private final Vertx vertx;
    private final PullHoldTable holds;
    private final int perKeyLimit;
    private final int totalLimit;
    private final Map<String, AtomicInteger> byKey = new ConcurrentHashMap<>();
    private final AtomicInteger total = new AtomicInteger();

    /** One parked request. */
    final class Poll {
        private final AtomicBoolean finished = new AtomicBoolean();
        private final List<PullRequest> waiters = new ArrayList<>();
        private final String key;
        private final Runnable onWake;
        private final Runnable onTimeout;
        private long timerId = -1;

        private Poll(String key, Runnable onWake, Runnable onTimeout) {
            this.key = key;
            this.onWake = onWake;
            this.onTimeout = onTimeout;
        }

        /** Something may have arrived between the caller's read and the park: run the wake continuation now. */
        void wakeNow() {
            finish(onWake);
        }

        private void finish(Runnable then) {
            if (!finished.compareAndSet(false, true)) {
                return;
            }
            vertx.cancelTimer(timerId);
            for (PullRequest w : waiters) {
                holds.unpark(w);
            }
            total.decrementAndGet();
            byKey.computeIfPresent(key, (k, n) -> n.decrementAndGet() <= 0 ? null : n);
            then.run();
        }
    }

    /** A queue a poll waits on. */
    record Watched(String topic, int queueId) {
    }

    PopPolling(Vertx vertx, PullHoldTable holds, int perKeyLimit, int totalLimit) {
        this.vertx = vertx;
        this.holds = holds;
        this.perKeyLimit = perKeyLimit;
        this.totalLimit = totalLimit;
    }

    static String key(String topic, String group, int queueId) {
        return topic + '@' + group + '@' + queueId;
    }

    /**
     * Parks a request on {@code queues} until {@code deadlineMs}; null (nothing parked) when the polling limits are
     * reached. {@code onWake} and {@code onTimeout} run once, on the connection's event loop.
     */
    Poll park(RemotingChannel connection, String key, List<Watched> queues, MessageFilter filter, long deadlineMs,
              Runnable onWake, Runnable onTimeout) {
        AtomicInteger n = byKey.computeIfAbsent(key, k -> new AtomicInteger());
        if (total.get() >= totalLimit || n.get() >= perKeyLimit) {
            return null;
        }
        n.incrementAndGet();
        total.incrementAndGet();
        Poll poll = new Poll(key, onWake, onTimeout);
        poll.timerId = vertx.setTimer(Math.max(1, deadlineMs - System.currentTimeMillis()),
                id -> poll.finish(poll.onTimeout));
        for (Watched q : queues) {
            PullRequest w = PullRequest.waiter(connection, q.topic(), q.queueId(), filter, r -> poll.wakeNow());
            poll.waiters.add(w);
            holds.parkWaiter(w);
        }
        return poll;
    }

    /** Polls parked under {@code topic@group@queueId} (POLLING_INFO). */
    int parked(String topic, String group, int queueId) {
        AtomicInteger n = byKey.get(key(topic, group, queueId));
        return n == null ? 0 : n.get();
    }
}

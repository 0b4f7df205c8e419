package io.tern.broker.pull;

import io.tern.remoting.RemotingChannel;
import io.tern.store.ArrivalListener;
import io.vertx.core.Vertx;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * Parked long-poll pulls by topic and queue (RocketMQ's PullRequestHoldService), and the store's
 * {@link ArrivalListener}: when a record is dispatched, the pulls waiting on its queue whose filter matches are
 * taken out and handed back to their own connection's event loop to be re-executed. The listener does two map
 * look-ups per record and nothing else when no pull waits on the queue.
 *
 * <p>Thread-safe. Timers run on the parking event loop; wake-ups come from the store's dispatch thread.
 */
public final class PullHoldTable implements ArrivalListener {
    private final Vertx vertx;
    private final Map<String, Map<Integer, QueueHolder>> holders = new ConcurrentHashMap<>();
    private volatile Consumer<PullRequest> onWake = r -> { };

    public PullHoldTable(Vertx vertx) {
        this.vertx = vertx;
    }

    /** What to do, on the request's event loop, with a request taken out by an arrival or a timeout. */
    void onWake(Consumer<PullRequest> handler) {
        this.onWake = handler;
    }

    private QueueHolder holder(String topic, int queueId) {
        return holders.computeIfAbsent(topic, t -> new ConcurrentHashMap<>())
                .computeIfAbsent(queueId, q -> new QueueHolder());
    }

    /**
     * Parks a request until {@code request.deadlineMs}. Must be called on the request's event loop (the timer
     * runs there).
     */
    void park(PullRequest request, Consumer<PullRequest> onTimeout) {
        QueueHolder h = holder(request.topic, request.queueId);
        if (request.timerId < 0) {
            long delay = Math.max(1, request.deadlineMs - System.currentTimeMillis());
            request.timerId = vertx.setTimer(delay, id -> {
                request.timerFired = true;
                if (h.remove(request)) {
                    onTimeout.accept(request);
                }
            });
        }
        h.add(request);
    }

    /** Parks a {@link PullRequest#waiter} (no timer: its owner's timeout unparks it). Any thread. */
    public void parkWaiter(PullRequest waiter) {
        holder(waiter.topic, waiter.queueId).add(waiter);
    }

    /** Takes a parked request back if it is still parked (e.g. a message arrived while it was being parked). */
    public boolean unpark(PullRequest request) {
        Map<Integer, QueueHolder> byQueue = holders.get(request.topic);
        QueueHolder h = byQueue == null ? null : byQueue.get(request.queueId);
        return h != null && h.remove(request);
    }

    @Override
    public void onArrival(String topic, int queueId, long queueOffset, long tagsCode, long storeTimestamp) {
        Map<Integer, QueueHolder> byQueue = holders.get(topic);
        if (byQueue == null) {
            return;
        }
        QueueHolder h = byQueue.get(queueId);
        if (h == null || h.isEmpty()) {
            return;
        }
        List<PullRequest> woken = h.takeWaitingFor(queueOffset, tagsCode);
        for (PullRequest r : woken) {
            Consumer<PullRequest> handler = r.wakeHandler != null ? r.wakeHandler : onWake;
            r.connection.context().runOnContext(v -> handler.accept(r));
        }
    }

    /** Drops the parked pulls of a closed connection. */
    public void onClose(RemotingChannel connection) {
        for (Map<Integer, QueueHolder> byQueue : holders.values()) {
            for (QueueHolder h : byQueue.values()) {
                for (PullRequest r : h.takeOf(connection)) {
                    vertx.cancelTimer(r.timerId);
                }
            }
        }
    }

    /** Number of parked pulls (runtime info). */
    public int parkedCount() {
        int n = 0;
        for (Map<Integer, QueueHolder> byQueue : holders.values()) {
            for (QueueHolder h : byQueue.values()) {
                n += h.size();
            }
        }
        return n;
    }
}

package io.tern.broker.pull;

import io.tern.remoting.RemotingChannel;
import java.util.ArrayList;
import java.util.List;

/**
 * The pulls parked on one topic queue (RocketMQ's ManyPullRequest). Touched by the event loops that park and
 * time out requests and by the store's dispatch thread on arrivals, so every method locks this object briefly.
 */
final class QueueHolder {
    private final List<PullRequest> parked = new ArrayList<>(2);

    synchronized void add(PullRequest request) {
        parked.add(request);
    }

    /** True when the request was still parked here (the caller now owns it). */
    synchronized boolean remove(PullRequest request) {
        return parked.remove(request);
    }

    synchronized int size() {
        return parked.size();
    }

    synchronized boolean isEmpty() {
        return parked.isEmpty();
    }

    /** Takes out every request that waits for a message at {@code offset} with {@code tagsCode}. */
    synchronized List<PullRequest> takeWaitingFor(long offset, long tagsCode) {
        List<PullRequest> woken = null;
        for (int i = parked.size() - 1; i >= 0; i--) {
            PullRequest r = parked.get(i);
            if (r.wantsArrival(offset, tagsCode)) {
                if (woken == null) {
                    woken = new ArrayList<>(parked.size());
                }
                woken.add(r);
                parked.remove(i);
            }
        }
        return woken == null ? List.of() : woken;
    }

    /** Takes out every request of a closed connection. */
    synchronized List<PullRequest> takeOf(RemotingChannel connection) {
        List<PullRequest> taken = new ArrayList<>();
        parked.removeIf(r -> {
            if (r.connection == connection) {
                taken.add(r);
                return true;
            }
            return false;
        });
        return taken;
    }
}

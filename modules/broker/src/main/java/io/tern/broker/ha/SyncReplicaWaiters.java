package io.tern.broker.ha;

import io.tern.store.PutResult;
import io.tern.store.PutResult.PutStatus;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * SYNC_MASTER puts waiting for their slaves, in commit-log order. One acknowledgement completes every waiter whose
 * bytes it covers (group commit); a single periodic {@link #expire} answers FLUSH_SLAVE_TIMEOUT to those that
 * waited too long. No timer per put.
 *
 * <p>Puts register in the order the store answers them (its single dispatching thread), so end offsets rise along
 * the queue; one registered out of order would only wait for the next ack, never be answered early.
 *
 * <p>Thread-safe: {@link #await} from the store's thread, {@link #acked} from the slaves' event loop (or the
 * replication worker after a handshake), {@link #expire} from the worker. Futures complete outside the lock, on
 * the calling thread.
 */
final class SyncReplicaWaiters {
    private record Waiter(long endOffset, long deadlineNanos, PutResult result, CompletableFuture<PutResult> future) {
    }

    private final ArrayDeque<Waiter> waiters = new ArrayDeque<>();
    private final long timeoutNanos;
    /** Highest offset the required number of slaves have acknowledged. */
    private long ackedOffset;

    SyncReplicaWaiters(long timeoutMs) {
        this.timeoutNanos = timeoutMs * 1_000_000L;
    }

    /** The put's result once slaves acknowledged {@code endOffset}, or FLUSH_SLAVE_TIMEOUT. */
    CompletableFuture<PutResult> await(PutResult result, long endOffset) {
        synchronized (this) {
            if (endOffset > ackedOffset) {
                CompletableFuture<PutResult> future = new CompletableFuture<>();
                waiters.addLast(new Waiter(endOffset, System.nanoTime() + timeoutNanos, result, future));
                return future;
            }
        }
        return CompletableFuture.completedFuture(result);
    }

    /** The required slaves now hold everything before {@code offset}. */
    void acked(long offset) {
        List<Waiter> done = new ArrayList<>();
        synchronized (this) {
            if (offset <= ackedOffset) {
                return;
            }
            ackedOffset = offset;
            while (!waiters.isEmpty() && waiters.peekFirst().endOffset <= offset) {
                done.add(waiters.pollFirst());
            }
        }
        for (Waiter w : done) {
            w.future.complete(w.result);
        }
    }

    /** Answers FLUSH_SLAVE_TIMEOUT to waiters past their deadline. */
    void expire(long nowNanos) {
        List<Waiter> late = new ArrayList<>();
        synchronized (this) {
            while (!waiters.isEmpty() && nowNanos - waiters.peekFirst().deadlineNanos >= 0) {
                late.add(waiters.pollFirst());
            }
        }
        for (Waiter w : late) {
            w.future.complete(withStatus(w.result, PutStatus.FLUSH_SLAVE_TIMEOUT));
        }
    }

    /** At shutdown: answers every waiter FLUSH_SLAVE_TIMEOUT (stored here, not known to be replicated). */
    void expireAll() {
        List<Waiter> all;
        synchronized (this) {
            all = new ArrayList<>(waiters);
            waiters.clear();
        }
        for (Waiter w : all) {
            w.future.complete(withStatus(w.result, PutStatus.FLUSH_SLAVE_TIMEOUT));
        }
    }

    synchronized int size() {
        return waiters.size();
    }

    static PutResult withStatus(PutResult r, PutStatus status) {
        return new PutResult(status, status.name(), r.physicalOffsets(), r.queueOffset(), r.storeTimestamp(),
                r.wroteBytes());
    }
}

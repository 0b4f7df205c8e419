package io.tern.store.impl;

import io.tern.store.PutResult;
import io.tern.store.PutResult.PutStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongSupplier;

/**
 * The single writer of the commit log. Other threads reach it only through {@link #submit} (a bounded queue);
 * the loop drains a batch, assigns queue offsets (per topic-queue counters, owned here), physical offsets and
 * store times, copies the records into the mapped segment, publishes the written offset, wakes the flusher and
 * hands the batch to the dispatcher, which answers the puts once the flush policy is met (under ASYNC_FLUSH the
 * writer runs that dispatch itself, see {@link Dispatcher}).
 *
 * <p>The hand-off is lock-free (a concurrent queue bounded by a counter, and an unpark only when the writer
 * sleeps): with a locked queue an event loop offering a put could block behind the writer preempted in the
 * middle of draining, and on two shared cores under load that stalled every connection of the loop. Only the
 * submitter that turns {@code sleeping} off unparks: the writer takes tens of microseconds to be scheduled once
 * woken, and every put offered in that window used to unpark it again (four unparks per park under load, each a
 * lock of the writer's parker it was contending for).
 *
 * <p>Thread contract: {@link #run} on the store-writer thread only; {@link #submit} from any thread.
 */
final class StoreWriter implements Runnable {
    private static final Logger log = LoggerFactory.getLogger(StoreWriter.class);
    private static final int MAX_BATCH = 1024;

    private final CommitLog commitLog;
    private final StoreState state;
    private final Dispatcher dispatcher;
    private final Flusher flusher;
    private final LongSupplier clock;
    private static final long IDLE_PARK_NANOS = TimeUnit.MILLISECONDS.toNanos(50);
    private final ConcurrentLinkedQueue<AppendRequest> queue = new ConcurrentLinkedQueue<>();
    private final AtomicInteger queued = new AtomicInteger();
    private final int queueCapacity;
    private volatile Thread writerThread;
    /** Set by the writer just before it parks on an empty queue; the submitter that clears it unparks the writer. */
    private final AtomicBoolean sleeping = new AtomicBoolean();
    /** Times the writer announced a sleep (written by the writer only) and times a submitter woke it. */
    private volatile long naps;
    private final AtomicInteger wakeUps = new AtomicInteger();
    private final Map<String, long[]> queueOffsets = new HashMap<>();
    private volatile boolean running = true;

    StoreWriter(CommitLog commitLog, StoreState state, Dispatcher dispatcher, Flusher flusher, LongSupplier clock,
                int queueCapacity, Map<String, Long> recoveredOffsets) {
        this.commitLog = commitLog;
        this.state = state;
        this.dispatcher = dispatcher;
        this.flusher = flusher;
        this.clock = clock;
        this.queueCapacity = queueCapacity;
        recoveredOffsets.forEach((k, v) -> queueOffsets.put(k, new long[]{v}));
    }

    /** False when the queue is full; the caller then answers the put itself. */
    boolean submit(AppendRequest r) {
        if (queued.incrementAndGet() > queueCapacity) {
            queued.decrementAndGet();
            return false;
        }
        queue.offer(r);
        if (sleeping.get() && sleeping.compareAndSet(true, false)) {
            wakeUps.incrementAndGet();
            LockSupport.unpark(writerThread);
        }
        return true;
    }

    /** Times the writer announced it was going to sleep (tests). */
    long naps() {
        return naps;
    }

    /** Times a submitter unparked the sleeping writer (tests). */
    int wakeUps() {
        return wakeUps.get();
    }

    /** Lets the loop finish what is queued, then end. */
    void stop() {
        running = false;
        LockSupport.unpark(writerThread);
    }

    /** The next request, or null after sleeping up to {@link #IDLE_PARK_NANOS} on an empty queue. */
    private AppendRequest next() {
        AppendRequest r = queue.poll();
        if (r != null) {
            return r;
        }
        naps++;
        sleeping.set(true);
        // re-check after announcing the sleep: a submit that missed the flag has already queued its request
        r = queue.poll();
        if (r == null && running) {
            LockSupport.parkNanos(this, IDLE_PARK_NANOS);
            r = queue.poll();
        }
        sleeping.set(false);
        return r;
    }

    @Override
    public void run() {
        writerThread = Thread.currentThread();
        List<AppendRequest> batch = new ArrayList<>(MAX_BATCH);
        while (running || !queue.isEmpty()) {
            try {
                if (Thread.interrupted()) {
                    throw new InterruptedException();
                }
                AppendRequest first = next();
                if (first == null) {
                    continue;
                }
                batch.add(first);
                AppendRequest more;
                while (batch.size() < MAX_BATCH && (more = queue.poll()) != null) {
                    batch.add(more);
                }
                queued.addAndGet(-batch.size());
                List<AppendRequest> appended = new ArrayList<>(batch.size());
                for (AppendRequest r : batch) {
                    if (r.isControl()) {
                        if (r.writerAction != null) {
                            r.writerAction.run();
                        }
                        appended.add(r);
                    } else if (r.replica != null ? r.replica.write(r) : append(r)) {
                        appended.add(r);
                    }
                }
                batch.clear();
                commitLog.publishWritten();
                flusher.wake();
                if (dispatcher.needsThread()) {
                    dispatcher.enqueue(appended);
                } else {
                    dispatcher.dispatchNow(appended);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** Appends one request; on failure answers it here and returns false. */
    private boolean append(AppendRequest r) {
        if (state.hasFault()) {
            fail(r, "store not writable: " + state.notWritableReason());
            return false;
        }
        long at;
        try {
            at = commitLog.reserve(r.totalBytes);
        } catch (IOException | RuntimeException | InternalError e) {
            String reason = "cannot create commit log segment: " + e.getMessage();
            log.error("store turned read-only: {}", reason, e);
            state.stop(StoreState.Stop.ALLOCATION_FAILED, reason);
            state.ioFaultCount.incrementAndGet();
            fail(r, reason);
            return false;
        }
        long now = clock.getAsLong();
        int n = r.messages.length;
        r.physicalOffsets = new long[n];
        r.dispatch = new DispatchRecord[n];
        long offset = at;
        long[] next = queueOffsets.computeIfAbsent(ConsumeQueueTable.key(r.messages[0].topic(),
                r.messages[0].queueId()), k -> new long[1]);
        long firstQueueOffset = next[0];
        try {
            offset = copy(r, at, now, next);
        } catch (RuntimeException | InternalError e) {
            commitLog.rollbackTo(at);
            next[0] = firstQueueOffset;
            String reason = "commit log write failed: " + e;
            log.error("store turned read-only: {}", reason, e);
            state.stop(StoreState.Stop.WRITE_FAILED, reason);
            state.ioFaultCount.incrementAndGet();
            fail(r, reason);
            return false;
        }
        r.endOffset = offset;
        // the bytes live in the mapped log now; a long fsync must not keep the heap copies alive
        java.util.Arrays.fill(r.messages, null);
        state.putMessageCount.addAndGet(n);
        return true;
    }

    /** Assigns offsets and copies every record of {@code r}; returns the end offset. */
    private long copy(AppendRequest r, long at, long now, long[] next) {
        int n = r.messages.length;
        long offset = at;
        for (int i = 0; i < n; i++) {
            AppendRequest.Encoded m = r.messages[i];
            long queueOffset = 0;
            if (RecordCodec.isDispatchedType(m.sysFlag())) {
                queueOffset = next[0]++;
            }
            long storeTs = m.presetStoreTimestamp() != 0 ? m.presetStoreTimestamp() : now;
            RecordCodec.patch(m.record(), queueOffset, offset, storeTs);
            commitLog.write(offset, m.record());
            int size = m.record().remaining();
            r.physicalOffsets[i] = offset;
            r.dispatch[i] = new DispatchRecord(m.topic(), m.queueId(), queueOffset, offset, size, m.tagsCode(),
                    storeTs, m.sysFlag(), m.keys(), m.uniqKey());
            if (i == 0) {
                r.firstQueueOffset = queueOffset;
                r.storeTimestamp = storeTs;
            }
            offset += size;
        }
        return offset;
    }

    private void fail(AppendRequest r, String reason) {
        state.putFailureCount.addAndGet(r.messages.length);
        r.complete(PutResult.failure(PutStatus.SERVICE_NOT_AVAILABLE, reason));
    }

    /** After the loop ended: answers requests that raced with shutdown into the queue. */
    void failRemaining() {
        AppendRequest r;
        while ((r = queue.poll()) != null) {
            queued.decrementAndGet();
            if (r.isControl()) {
                r.future.completeExceptionally(new IllegalStateException("store shut down"));
            } else {
                fail(r, "store is shutting down");
            }
        }
    }

    /** Writer-side half of deleteTopic: the topic's queue offsets start again at 0. */
    void forgetTopic(String topic) {
        queueOffsets.keySet().removeIf(k -> k.startsWith(topic + '-')
                && k.substring(topic.length() + 1).chars().allMatch(Character::isDigit));
    }
}

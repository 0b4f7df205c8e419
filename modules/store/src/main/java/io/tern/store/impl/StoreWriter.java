package io.tern.store.impl;

import io.tern.store.PutResult;
import io.tern.store.PutResult.PutStatus;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;

/**
 * The single writer of the commit log, a worker verticle on its own single-thread pool (tern-store-writer). Other
 * threads reach it only through {@link #submit} (a bounded queue); each drain takes a batch, assigns queue offsets
 * (per topic-queue counters, owned here), physical offsets and store times, copies the records into the mapped
 * segment, publishes the written offset, wakes the flusher and hands the batch to the dispatcher, which answers
 * the puts once the flush policy is met (under ASYNC_FLUSH the writer runs that dispatch itself, see
 * {@link Dispatcher}).
 *
 * <p>The hand-off is lock-free (a concurrent queue bounded by a counter, and a {@link DrainSignal}): with a locked
 * queue an event loop offering a put could block behind the writer preempted in the middle of draining, and on
 * two shared cores under load that stalled every connection of the loop. Only the submitter that finds the writer
 * asleep schedules its next drain: the writer takes tens of microseconds to be scheduled once woken, and every put
 * offered in that window used to wake it again (four wake-ups per sleep under load, each contending for the
 * writer's lock). One drain runs until the queue is empty, batch after batch, yielding its thread to other tasks
 * of its context every {@link #BATCHES_PER_TURN} batches.
 *
 * <p>Stopping (undeploying) the verticle appends everything still queued; requests that race in after that are
 * answered by {@link #failRemaining}.
 *
 * <p>Thread contract: the drain, {@link #start} and {@link #stop} on the writer's context only; {@link #submit}
 * from any thread.
 */
final class StoreWriter extends VerticleBase {
    private static final Logger log = LoggerFactory.getLogger(StoreWriter.class);
    private static final int MAX_BATCH = 1024;
    static final int BATCHES_PER_TURN = 16;

    private final CommitLog commitLog;
    private final StoreState state;
    private final Dispatcher dispatcher;
    private final Flusher flusher;
    private final LongSupplier clock;
    private final ConcurrentLinkedQueue<AppendRequest> queue = new ConcurrentLinkedQueue<>();
    private final AtomicInteger queued = new AtomicInteger();
    private final int queueCapacity;
    private final DrainSignal signal = new DrainSignal(v -> drain());
    private final BooleanSupplier workQueued = () -> !queue.isEmpty();
    private final Map<String, long[]> queueOffsets = new HashMap<>();
    private final List<AppendRequest> batch = new ArrayList<>(MAX_BATCH);
    private boolean stopped;

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
        signal.wake();
        return true;
    }

    /** Times the writer announced it was going to sleep (tests). */
    long naps() {
        return signal.naps();
    }

    /** Times a submitter woke the sleeping writer (tests). */
    int wakeUps() {
        return signal.wakeUps();
    }

    @Override
    public Future<?> start() {
        signal.bind(context);
        return Future.succeededFuture();
    }

    /** Appends everything still queued; the drain never runs again. */
    @Override
    public Future<?> stop() {
        stopped = true;
        signal.retire();
        while (appendBatch()) {
            // each batch is published and dispatched like a drained one
        }
        return Future.succeededFuture();
    }

    private void drain() {
        if (stopped) {
            return;
        }
        int batches = 0;
        while (batches < BATCHES_PER_TURN) {
            if (appendBatch()) {
                batches++;
            } else if (!signal.sleepUnless(workQueued)) {
                return;
            }
        }
        signal.yieldTurn();
    }

    /** Appends up to {@link #MAX_BATCH} queued requests and passes them on; false when the queue was empty. */
    private boolean appendBatch() {
        AppendRequest more;
        while (batch.size() < MAX_BATCH && (more = queue.poll()) != null) {
            batch.add(more);
        }
        if (batch.isEmpty()) {
            return false;
        }
        int taken = batch.size();
        queued.addAndGet(-taken);
        long drainedAt = System.nanoTime();
        long queuedNanos = 0;
        List<AppendRequest> appended = new ArrayList<>(taken);
        for (AppendRequest r : batch) {
            queuedNanos += drainedAt - r.createdNanos;
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
        if (dispatcher.needsThread()) {
            dispatcher.enqueue(appended);
            commitLog.publishWritten();
            flusher.wake();
        } else {
            commitLog.publishWritten();
            dispatcher.dispatchNow(appended);
        }
        state.writerRequests.addAndGet(taken);
        state.writerQueueNanos.addAndGet(queuedNanos);
        state.writerBatchNanos.addAndGet((System.nanoTime() - drainedAt) * taken);
        return true;
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
            // a full file system can win the race against the periodic hard-limit check (a segment fills in less
            // than diskCheckIntervalMs); the operator still reads the same first words either way
            String cause = String.valueOf(e.getMessage());
            String reason = (cause.startsWith("No space left") ? "disk full: " : "")
                    + "cannot create commit log segment: " + cause;
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
        // the bytes live in the mapped log now; a long fsync must not keep the encoded heads and body views alive
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
            RecordCodec.patch(m.record().fixed(), queueOffset, offset, storeTs);
            commitLog.write(offset, m.record());
            int size = m.record().totalBytes();
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

    /** After the verticle stopped: answers requests that raced with shutdown into the queue. */
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

    /**
     * Writer thread, after a replica's truncation (no append in flight, consume queues dispatched): the queue
     * offsets of later local puts continue from the consume queues' ends. Replicated records do not move this
     * table, so a replica promoted to master re-derives it here before its first put.
     */
    void resetQueueOffsets(Map<String, Long> maxOffsets) {
        queueOffsets.clear();
        maxOffsets.forEach((k, v) -> queueOffsets.put(k, new long[]{v}));
    }

    /** Writer-side half of deleteTopic: the topic's queue offsets start again at 0. */
    void forgetTopic(String topic) {
        queueOffsets.keySet().removeIf(k -> k.startsWith(topic + '-')
                && k.substring(topic.length() + 1).chars().allMatch(Character::isDigit));
    }
}

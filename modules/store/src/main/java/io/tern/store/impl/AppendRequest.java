package io.tern.store.impl;

import io.tern.common.message.StoredRecordLayout;
import io.tern.store.PutResult;

import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One put or batch put travelling caller → writer → dispatcher, or a control action that must happen in order
 * with the appends (deleteTopic). Encoded in the caller's thread; the writer fills in the offsets.
 *
 * <p>Handed from thread to thread through queues (which order the accesses); {@link #complete} may race between
 * the dispatcher's success path and its timeout/fault path, and only the first wins.
 */
final class AppendRequest {
    /** One encoded message and what the dispatcher needs of it that is cheaper to keep than to re-parse. */
    record Encoded(StoredRecordLayout.Split record, String topic, int queueId, int sysFlag, long tagsCode, String keys,
                   String uniqKey, long presetStoreTimestamp) {
    }

    final Encoded[] messages;
    final int totalBytes;
    final CompletableFuture<PutResult> future;
    final long createdNanos = System.nanoTime();
    final Runnable writerAction;
    final Runnable dispatcherAction;
    private final AtomicBoolean completed = new AtomicBoolean();
    /** Set for bytes replicated from a master: the writer hands the request to it instead of encoding records. */
    final StoreReplicaLog replica;
    final long replicaOffset;
    final ByteBuffer replicaBytes;

    // filled in by the writer
    long[] physicalOffsets;
    long firstQueueOffset;
    long storeTimestamp;
    long endOffset;
    DispatchRecord[] dispatch;

    AppendRequest(Encoded[] messages, CompletableFuture<PutResult> future) {
        this.messages = messages;
        int total = 0;
        for (Encoded e : messages) {
            total += e.record().totalBytes();
        }
        this.totalBytes = total;
        this.future = future;
        this.writerAction = null;
        this.dispatcherAction = null;
        this.replica = null;
        this.replicaOffset = -1;
        this.replicaBytes = null;
    }

    AppendRequest(StoreReplicaLog replica, long offset, ByteBuffer bytes, CompletableFuture<PutResult> future) {
        this.messages = new Encoded[0];
        this.totalBytes = bytes.remaining();
        this.future = future;
        this.writerAction = null;
        this.dispatcherAction = null;
        this.replica = replica;
        this.replicaOffset = offset;
        this.replicaBytes = bytes;
    }

    private AppendRequest(Runnable writerAction, Runnable dispatcherAction, CompletableFuture<PutResult> future) {
        this.messages = new Encoded[0];
        this.totalBytes = 0;
        this.future = future;
        this.writerAction = writerAction;
        this.dispatcherAction = dispatcherAction;
        this.replica = null;
        this.replicaOffset = -1;
        this.replicaBytes = null;
    }

    static AppendRequest control(Runnable atWriter, Runnable atDispatcher, CompletableFuture<PutResult> done) {
        return new AppendRequest(atWriter, atDispatcher, done);
    }

    boolean isControl() {
        return dispatcherAction != null || writerAction != null;
    }

    boolean isCompleted() {
        return completed.get();
    }

    PutResult resultWith(PutResult.PutStatus status) {
        return new PutResult(status, status == PutResult.PutStatus.PUT_OK ? "" : status.name(), physicalOffsets,
                firstQueueOffset, storeTimestamp, totalBytes);
    }

    boolean complete(PutResult result) {
        if (completed.compareAndSet(false, true)) {
            future.complete(result);
            return true;
        }
        return false;
    }
}

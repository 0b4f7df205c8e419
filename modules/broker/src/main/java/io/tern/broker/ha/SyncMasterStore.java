package io.tern.broker.ha;

import io.tern.store.MessageStore;
import io.tern.store.PutResult;
import io.tern.store.PutResult.PutStatus;
import io.tern.store.StoreMessage;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * A SYNC_MASTER's store: a put is answered once the store's flush policy is met and the required slaves
 * acknowledged its bytes; FLUSH_SLAVE_TIMEOUT after syncFlushTimeoutMs, SLAVE_NOT_AVAILABLE at once when too few
 * slaves are connected within haMaxGapNotInSync (RocketMQ's answers). Only a SYNC_MASTER gets this wrapper, so an
 * ASYNC_MASTER's puts take no extra step.
 */
final class SyncMasterStore extends ForwardingMessageStore {
    private final HaMaster master;
    private final SyncReplicaWaiters waiters;

    SyncMasterStore(MessageStore delegate, HaMaster master, SyncReplicaWaiters waiters) {
        super(delegate);
        this.master = master;
        this.waiters = waiters;
    }

    @Override
    public CompletableFuture<PutResult> put(StoreMessage message) {
        return delegate.put(message).thenCompose(this::replicated);
    }

    @Override
    public CompletableFuture<PutResult> putBatch(List<StoreMessage> messages) {
        return delegate.putBatch(messages).thenCompose(this::replicated);
    }

    private CompletableFuture<PutResult> replicated(PutResult r) {
        if (r.status() != PutStatus.PUT_OK && r.status() != PutStatus.FLUSH_DISK_TIMEOUT) {
            return CompletableFuture.completedFuture(r);
        }
        long end = r.physicalOffset() + r.wroteBytes();
        if (!master.inSync(end)) {
            return CompletableFuture.completedFuture(SyncReplicaWaiters.withStatus(r, PutStatus.SLAVE_NOT_AVAILABLE));
        }
        CompletableFuture<PutResult> acked = waiters.await(r, end);
        if (!acked.isDone()) {
            master.wake();
        }
        return acked;
    }
}

package io.tern.broker.ha;

import io.tern.store.MessageStore;
import io.tern.store.PutResult;
import io.tern.store.PutResult.PutStatus;
import io.tern.store.StoreMessage;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Controller mode's store: the broker's role changes at runtime, so puts go to the role's store of the moment — a
 * master's (the plain store, or {@link SyncMasterStore}), or none (refused like {@link SlaveStore}). A master's
 * put is refused while its {@link MasterLease} has lapsed, and a stored put whose lease lapsed before the answer is
 * answered FLUSH_SLAVE_TIMEOUT rather than SEND_OK: a successor may have been elected meanwhile.
 *
 * <p>It counts puts in flight, so a master stepping down can wait until its log is still before truncating it.
 *
 * <p>Thread-safe.
 */
final class RoleSwitchStore extends ForwardingMessageStore {
    static final String NO_LEASE = "the master's controller lease lapsed: it may have been replaced, try again";

    private final MasterLease lease;
    private final AtomicInteger inFlight = new AtomicInteger();
    /** The master's store while this broker acts as master; null while it is a slave. */
    private volatile MessageStore masterStore;
    private volatile CompletableFuture<Void> drained;

    RoleSwitchStore(MessageStore delegate, MasterLease lease) {
        super(delegate);
        this.lease = lease;
    }

    void actAsMaster(MessageStore store) {
        masterStore = store;
    }

    /** Refuses puts from now on; completes once the puts in flight are answered. */
    CompletableFuture<Void> actAsSlave() {
        masterStore = null;
        CompletableFuture<Void> d = new CompletableFuture<>();
        drained = d;
        if (inFlight.get() == 0) {
            d.complete(null);
        }
        return d;
    }

    @Override
    public CompletableFuture<PutResult> put(StoreMessage message) {
        MessageStore m = masterStore;
        if (m == null || !lease.valid()) {
            return refused(m);
        }
        inFlight.incrementAndGet();
        return m.put(message).thenApply(this::answered);
    }

    @Override
    public CompletableFuture<PutResult> putBatch(List<StoreMessage> messages) {
        MessageStore m = masterStore;
        if (m == null || !lease.valid()) {
            return refused(m);
        }
        inFlight.incrementAndGet();
        return m.putBatch(messages).thenApply(this::answered);
    }

    private PutResult answered(PutResult r) {
        if (inFlight.decrementAndGet() == 0) {
            CompletableFuture<Void> d = drained;
            if (d != null && masterStore == null) {
                d.complete(null);
            }
        }
        return r.status() == PutStatus.PUT_OK && !lease.valid()
                ? SyncReplicaWaiters.withStatus(r, PutStatus.FLUSH_SLAVE_TIMEOUT) : r;
    }

    private static CompletableFuture<PutResult> refused(MessageStore master) {
        return CompletableFuture.completedFuture(PutResult.failure(PutStatus.SERVICE_NOT_AVAILABLE,
                master == null ? SlaveStore.REMARK : NO_LEASE));
    }
}

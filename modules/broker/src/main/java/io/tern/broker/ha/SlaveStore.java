package io.tern.broker.ha;

import io.tern.store.MessageStore;
import io.tern.store.PutResult;
import io.tern.store.PutResult.PutStatus;
import io.tern.store.StoreMessage;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * A slave's store: its log only grows by replication, so every put is refused with SERVICE_NOT_AVAILABLE, the
 * status RocketMQ's slave store answers (sends, sends-back and transaction ends all fail the same way).
 */
final class SlaveStore extends ForwardingMessageStore {
    static final String REMARK = "the broker is a slave: it takes no messages, send them to the master of the group";

    SlaveStore(MessageStore delegate) {
        super(delegate);
    }

    @Override
    public CompletableFuture<PutResult> put(StoreMessage message) {
        return refused();
    }

    @Override
    public CompletableFuture<PutResult> putBatch(List<StoreMessage> messages) {
        return refused();
    }

    private static CompletableFuture<PutResult> refused() {
        return CompletableFuture.completedFuture(PutResult.failure(PutStatus.SERVICE_NOT_AVAILABLE, REMARK));
    }
}

package io.tern.client.impl;

import io.tern.common.protocol.MessageQueue;
import io.vertx.core.Future;
import java.util.Collection;

/**
 * Consumed offsets of a consumer's queues: "next offset to consume" per queue. CLUSTERING keeps them on the brokers
 * ({@link BrokerOffsetStore}), BROADCASTING in this client's memory ({@link MemoryOffsetStore}).
 *
 * <p>Not thread-safe; owned by the client's context.
 */
interface OffsetStore {
    /** The stored offset, or -1 when the group has none for {@code mq}. */
    Future<Long> read(MessageQueue mq);

    /** Records progress in memory. */
    void update(MessageQueue mq, long offset);

    /** Periodic persist of the given queues' offsets (fire and forget). */
    void persist(Collection<MessageQueue> queues);

    /** Persists one queue's offset and completes when stored (queue dropped, consumer closing). */
    Future<Void> persistNow(MessageQueue mq);

    /** Forgets a queue this consumer no longer owns. */
    void remove(MessageQueue mq);
}

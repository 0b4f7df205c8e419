package io.tern.client.impl;

import io.tern.common.protocol.MessageQueue;
import io.vertx.core.Future;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;

/**
 * BROADCASTING offsets: every client consumes every queue, so progress is its own and stays in memory. A restarted
 * client starts again from consumeFromWhere (the official client keeps a local file instead).
 *
 * <p>Not thread-safe; owned by the client's context.
 */
final class MemoryOffsetStore implements OffsetStore {
    private final Map<MessageQueue, Long> offsets = new HashMap<>();

    @Override
    public Future<Long> read(MessageQueue mq) {
        return Future.succeededFuture(offsets.getOrDefault(mq, -1L));
    }

    @Override
    public void update(MessageQueue mq, long offset) {
        offsets.put(mq, offset);
    }

    @Override
    public void persist(Collection<MessageQueue> queues) {
    }

    @Override
    public Future<Void> persistNow(MessageQueue mq) {
        return Future.succeededFuture();
    }

    @Override
    public void remove(MessageQueue mq) {
        // kept: the queue may come back, and broadcasting progress is ours alone
    }
}

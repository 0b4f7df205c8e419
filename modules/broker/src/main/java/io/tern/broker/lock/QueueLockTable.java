package io.tern.broker.lock;

import io.tern.common.protocol.MessageQueue;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Orderly-consumption locks (spec 3.4.7): per consumer group, each queue is held by at most one clientId. A lock
 * is granted when the queue is free, already held by the caller (refreshing it) or its holder's lock expired
 * ({@code lockLifetimeMs} without a refresh; clients re-lock every 20 s).
 *
 * <p>Thread-safe: each group's table is guarded by its own monitor.
 */
public final class QueueLockTable {
    private final long lockLifetimeMs;
    private final Map<String, Map<MessageQueue, Holder>> groups = new ConcurrentHashMap<>();

    private static final class Holder {
        final String clientId;
        long lastRefreshMs;

        Holder(String clientId, long lastRefreshMs) {
            this.clientId = clientId;
            this.lastRefreshMs = lastRefreshMs;
        }
    }

    public QueueLockTable(long lockLifetimeMs) {
        this.lockLifetimeMs = lockLifetimeMs;
    }

    /** Locks what it can of {@code queues} for {@code clientId}; returns the queues the caller now holds. */
    public Set<MessageQueue> lock(String group, String clientId, Iterable<MessageQueue> queues, long nowMs) {
        Map<MessageQueue, Holder> table = groups.computeIfAbsent(group, g -> new HashMap<>());
        Set<MessageQueue> locked = new LinkedHashSet<>();
        synchronized (table) {
            for (MessageQueue mq : queues) {
                Holder h = table.get(mq);
                if (h == null || h.clientId.equals(clientId) || nowMs - h.lastRefreshMs > lockLifetimeMs) {
                    table.put(mq, new Holder(clientId, nowMs));
                    locked.add(mq);
                }
            }
        }
        return locked;
    }

    /** Releases those of {@code queues} that {@code clientId} holds. */
    public void unlock(String group, String clientId, Iterable<MessageQueue> queues) {
        Map<MessageQueue, Holder> table = groups.get(group);
        if (table == null) {
            return;
        }
        synchronized (table) {
            for (MessageQueue mq : queues) {
                Holder h = table.get(mq);
                if (h != null && h.clientId.equals(clientId)) {
                    table.remove(mq);
                }
            }
        }
    }

    /** The live holder of a queue, or null. */
    public String holder(String group, MessageQueue mq, long nowMs) {
        Map<MessageQueue, Holder> table = groups.get(group);
        if (table == null) {
            return null;
        }
        synchronized (table) {
            Holder h = table.get(mq);
            return h == null || nowMs - h.lastRefreshMs > lockLifetimeMs ? null : h.clientId;
        }
    }
}

package io.tern.broker.lock;

import io.tern.common.protocol.MessageQueue;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Queue locks of orderly consumers (RocketMQ's RebalanceLockManager, spec 3.4.7): per group, a queue is held by
 * one clientId until it unlocks or stops refreshing the lock for {@link #LOCK_LIFETIME_MS}.
 *
 * <p>Thread-safe: each group's table is locked while it changes.
 */
public final class QueueLockManager {
    /** Broker-side lock lifetime; clients re-lock every 20 s and trust their lock for 30 s. */
    public static final long LOCK_LIFETIME_MS = 60_000;

    private record Holder(String clientId, long lastUpdateMs) {
        boolean expired(long nowMs) {
            return nowMs - lastUpdateMs > LOCK_LIFETIME_MS;
        }
    }

    private final Map<String, Map<MessageQueue, Holder>> groups = new ConcurrentHashMap<>();

    /** Locks what can be locked for {@code clientId}; returns the queues it now holds. */
    public Set<MessageQueue> lock(String group, Set<MessageQueue> queues, String clientId) {
        Map<MessageQueue, Holder> table = groups.computeIfAbsent(group, g -> new HashMap<>());
        Set<MessageQueue> locked = new LinkedHashSet<>();
        long now = System.currentTimeMillis();
        synchronized (table) {
            for (MessageQueue mq : queues) {
                Holder h = table.get(mq);
                if (h == null || h.clientId.equals(clientId) || h.expired(now)) {
                    table.put(mq, new Holder(clientId, now));
                    locked.add(mq);
                }
            }
        }
        return locked;
    }

    public void unlock(String group, Set<MessageQueue> queues, String clientId) {
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
}

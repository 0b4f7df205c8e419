package io.tern.controller;

import java.util.HashMap;
import java.util.Map;

/**
 * The leader's memory of broker heartbeats: when each replica of each group was last heard and where its log
 * ended. Not replicated: a new leader starts empty and waits one heartbeat timeout before it judges anyone dead
 * ({@link MasterElector}), the reference controller's rule too.
 *
 * <p>Not thread-safe; owned by the controller verticle's event loop.
 */
final class BrokerLiveness {
    /** One replica's last heartbeat: when it arrived (System.nanoTime) and the log end it reported. */
    record Beat(long atNanos, long maxOffset) {
    }

    private final Map<String, Map<Long, Beat>> beats = new HashMap<>();

    void record(String group, long replicaId, long maxOffset, long nowNanos) {
        beats.computeIfAbsent(group, g -> new HashMap<>()).put(replicaId, new Beat(nowNanos, maxOffset));
    }

    /** The replica's last heartbeat, or null when none arrived since this peer became leader. */
    Beat last(String group, long replicaId) {
        Map<Long, Beat> g = beats.get(group);
        return g == null ? null : g.get(replicaId);
    }

    boolean alive(String group, long replicaId, long nowNanos, long timeoutNanos) {
        Beat b = last(group, replicaId);
        return b != null && nowNanos - b.atNanos() < timeoutNanos;
    }

    void clear() {
        beats.clear();
    }
}

package io.tern.broker.pop;

import java.util.BitSet;
import java.util.HashMap;
import java.util.Map;

/**
 * Order pop (RocketMQ's ConsumerOrderInfoManager): a queue of an ordered pop is locked for its group while the
 * batch popped from it is neither fully acknowledged nor past its invisible time. The group's offset moves only when
 * the whole batch is acknowledged, so an unacknowledged batch is popped again — same messages, same order, with a
 * delivery count one higher — once its invisible time is over, and after a restart (nothing here needs persisting:
 * the committed offset is the state).
 *
 * <p>Thread-safe: every method locks this object briefly.
 */
final class OrderedPops {
    /** The batch in flight on one queue. */
    private static final class Batch {
        final long[] offsets;
        final BitSet acked;
        final long nextOffset;
        final long popTime;
        long deadlineMs;

        Batch(long[] offsets, long nextOffset, long popTime, long deadlineMs) {
            this.offsets = offsets;
            this.acked = new BitSet(offsets.length);
            this.nextOffset = nextOffset;
            this.popTime = popTime;
            this.deadlineMs = deadlineMs;
        }
    }

    private final Map<String, Batch> batches = new HashMap<>();
    /** Deliveries so far of the offsets of the current or last batch of a queue. */
    private final Map<String, Map<Long, Integer>> deliveries = new HashMap<>();

    private static String key(String group, String topic, int queueId) {
        return group + '@' + topic + '@' + queueId;
    }

    /** Whether another batch of this queue is in flight (acknowledged partly or not, invisible time not over). */
    synchronized boolean isLocked(String group, String topic, int queueId, long nowMs) {
        Batch b = batches.get(key(group, topic, queueId));
        return b != null && nowMs < b.deadlineMs && b.acked.cardinality() < b.offsets.length;
    }

    /**
     * Records a popped batch and returns how many times each of its messages was delivered before (the client's
     * reconsume times), in the order of {@code offsets}.
     */
    synchronized int[] popped(String group, String topic, int queueId, long[] offsets, long nextOffset, long popTime,
                              long invisibleTime) {
        String k = key(group, topic, queueId);
        batches.put(k, new Batch(offsets, nextOffset, popTime, popTime + invisibleTime));
        Map<Long, Integer> seen = deliveries.computeIfAbsent(k, x -> new HashMap<>());
        seen.keySet().removeIf(o -> o < offsets[0]);
        int[] before = new int[offsets.length];
        for (int i = 0; i < offsets.length; i++) {
            before[i] = seen.merge(offsets[i], 1, Integer::sum) - 1;
        }
        return before;
    }

    /**
     * Acknowledges one message; returns the offset the group may commit when that completed the batch, -1 when the
     * batch is still open, -2 when no batch of this queue holds the offset.
     */
    synchronized long ack(String group, String topic, int queueId, long offset) {
        String k = key(group, topic, queueId);
        Batch b = batches.get(k);
        if (b == null) {
            return -2;
        }
        for (int i = 0; i < b.offsets.length; i++) {
            if (b.offsets[i] == offset) {
                b.acked.set(i);
                if (b.acked.cardinality() == b.offsets.length) {
                    batches.remove(k);
                    deliveries.remove(k);
                    return b.nextOffset;
                }
                return -1;
            }
        }
        return -2;
    }

    /** Moves the batch's invisible time (CHANGE_MESSAGE_INVISIBLETIME of an ordered message); false if none. */
    synchronized boolean extend(String group, String topic, int queueId, long offset, long deadlineMs) {
        Batch b = batches.get(key(group, topic, queueId));
        if (b == null) {
            return false;
        }
        for (long o : b.offsets) {
            if (o == offset) {
                b.deadlineMs = deadlineMs;
                return true;
            }
        }
        return false;
    }
}

package io.tern.broker.pop;

import java.util.BitSet;

/**
 * The messages one pop took from one queue for one group, invisible until {@link #deadlineMs}: the unit that is
 * acknowledged message by message and revived as a whole (RocketMQ's PopCheckPoint). Identified by group, topic,
 * queue, first offset and pop time, which the client echoes in its acks (see {@link ExtraInfo}).
 *
 * <p>Guarded by the {@link PopCheckpointTable} that holds it.
 */
final class PopCheckpoint {
    final String group;
    /** The topic the messages were read from: a normal topic or a group's pop retry topic. */
    final String topic;
    final int queueId;
    final long startOffset;
    final long popTime;
    final long invisibleTime;
    /** Queue offsets of the popped messages, ascending. */
    final long[] offsets;
    final BitSet acked;
    /** Queue offset of this checkpoint's record in the revive log; -1 until written. */
    long reviveOffset = -1;
    /** Set while the reviver copies its unacknowledged messages to the retry topic. */
    boolean reviving;

    PopCheckpoint(String group, String topic, int queueId, long startOffset, long popTime, long invisibleTime,
                  long[] offsets) {
        this.group = group;
        this.topic = topic;
        this.queueId = queueId;
        this.startOffset = startOffset;
        this.popTime = popTime;
        this.invisibleTime = invisibleTime;
        this.offsets = offsets;
        this.acked = new BitSet(offsets.length);
    }

    static String key(String group, String topic, int queueId, long startOffset, long popTime) {
        return group + '@' + topic + '@' + queueId + '@' + startOffset + '@' + popTime;
    }

    String key() {
        return key(group, topic, queueId, startOffset, popTime);
    }

    long deadlineMs() {
        return popTime + invisibleTime;
    }

    /** Marks one offset acknowledged; false when it is not one of this checkpoint's. */
    boolean ack(long offset) {
        for (int i = 0; i < offsets.length; i++) {
            if (offsets[i] == offset) {
                acked.set(i);
                return true;
            }
        }
        return false;
    }

    boolean isAcked(int index) {
        return acked.get(index);
    }

    boolean allAcked() {
        return acked.cardinality() == offsets.length;
    }
}

package io.tern.broker.pop;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The checkpoints not yet fully acknowledged nor revived, by key. Acks, pops and the reviver run on different
 * event loops: every method takes this object's lock for a few map operations.
 */
final class PopCheckpointTable {
    private final Map<String, PopCheckpoint> byKey = new HashMap<>();
    /** Checkpoints added whose revive-log record is not written yet: the replay start must not pass them. */
    private int unwritten;

    enum AckOutcome { ACKED, COMPLETED, NOT_FOUND }

    /** A checkpoint of a pop in progress (its record is being written). */
    synchronized void add(PopCheckpoint ck) {
        byKey.put(ck.key(), ck);
        unwritten++;
    }

    /** Its record is in the revive log at {@code reviveOffset}. */
    synchronized void written(PopCheckpoint ck, long reviveOffset) {
        ck.reviveOffset = reviveOffset;
        unwritten--;
    }

    /** Its record could not be written: the pop failed and the checkpoint is dropped. */
    synchronized void discard(PopCheckpoint ck) {
        byKey.remove(ck.key(), ck);
        unwritten--;
    }

    /** A checkpoint read back from the revive log at start. */
    synchronized void restore(PopCheckpoint ck) {
        byKey.put(ck.key(), ck);
    }

    synchronized AckOutcome ack(String key, long offset) {
        PopCheckpoint ck = byKey.get(key);
        if (ck == null || !ck.ack(offset)) {
            return AckOutcome.NOT_FOUND;
        }
        if (ck.allAcked() && !ck.reviving && ck.reviveOffset >= 0) {
            byKey.remove(key);
            return AckOutcome.COMPLETED;
        }
        return AckOutcome.ACKED;
    }

    /** Whether the checkpoint is live and holds {@code offset} unacknowledged. */
    synchronized boolean holdsUnacked(String key, long offset) {
        PopCheckpoint ck = byKey.get(key);
        if (ck == null) {
            return false;
        }
        for (int i = 0; i < ck.offsets.length; i++) {
            if (ck.offsets[i] == offset) {
                return !ck.isAcked(i);
            }
        }
        return false;
    }

    /** The checkpoints whose invisible time is over, marked as being revived. */
    synchronized List<PopCheckpoint> takeExpired(long nowMs) {
        List<PopCheckpoint> due = new ArrayList<>();
        for (PopCheckpoint ck : byKey.values()) {
            if (!ck.reviving && ck.reviveOffset >= 0 && ck.deadlineMs() <= nowMs) {
                ck.reviving = true;
                due.add(ck);
            }
        }
        return due;
    }

    /** Revived (or fully acknowledged meanwhile): gone. */
    synchronized void remove(PopCheckpoint ck) {
        byKey.remove(ck.key(), ck);
    }

    /** Reviving failed (the store refused a put): try again next round. */
    synchronized void retryLater(PopCheckpoint ck) {
        ck.reviving = false;
    }

    /**
     * Where a replay of the revive log must start to find every live checkpoint: the lowest record offset of a live
     * checkpoint, or {@code logEnd} when there is none; -1 (do not move) while a checkpoint's record is in flight.
     */
    synchronized long replayStart(long logEnd) {
        if (unwritten > 0) {
            return -1;
        }
        long min = logEnd;
        for (PopCheckpoint ck : byKey.values()) {
            min = Math.min(min, ck.reviveOffset);
        }
        return min;
    }

    synchronized int size() {
        return byKey.size();
    }
}

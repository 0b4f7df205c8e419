package io.tern.client.impl;

import io.tern.client.TernMessage;
import java.util.TreeMap;

/**
 * The messages of one queue that were pulled but are not acknowledged yet, by queue offset. The queue's commit offset
 * is the lowest of them — or, when none is pending, the offset pulled up to — so acknowledging out of order never
 * commits past a message still in progress.
 *
 * <p>Not thread-safe; owned by the client's context.
 */
final class ProcessQueue {
    private final TreeMap<Long, TernMessage> pending = new TreeMap<>();
    private long pulledUpTo;

    void reset(long offset) {
        pending.clear();
        pulledUpTo = offset;
    }

    void add(TernMessage message) {
        pending.put(message.queueOffset(), message);
    }

    /** Everything below {@code nextOffset} was pulled (delivered, pending or filtered out). */
    void pulledUpTo(long nextOffset) {
        pulledUpTo = nextOffset;
    }

    void ack(long queueOffset) {
        pending.remove(queueOffset);
    }

    long commitOffset() {
        return pending.isEmpty() ? pulledUpTo : pending.firstKey();
    }

    int size() {
        return pending.size();
    }
}

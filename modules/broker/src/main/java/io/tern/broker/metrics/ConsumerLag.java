package io.tern.broker.metrics;

import io.tern.broker.config.ConsumerOffsetManager;
import io.tern.broker.config.TopicConfigManager;
import io.tern.common.protocol.TopicConfig;
import io.tern.store.MessageStore;

/**
 * Consumer lag from offsets: the same figures GET_CONSUME_STATS reports. Reads only memory and mapped pages.
 * Thread-safe.
 */
public final class ConsumerLag {
    private final TopicConfigManager topics;
    private final MessageStore store;
    private final ConsumerOffsetManager offsets;

    public ConsumerLag(TopicConfigManager topics, MessageStore store, ConsumerOffsetManager offsets) {
        this.topics = topics;
        this.store = store;
        this.offsets = offsets;
    }

    /** Σ max(0, max offset − committed) over the topic's read queues; -1 when the topic does not exist. */
    public long of(String group, String topic) {
        TopicConfig tc = topics.get(topic);
        if (tc == null) {
            return -1;
        }
        long lag = 0;
        for (int q = 0; q < tc.readQueueNums; q++) {
            lag += of(group, topic, q);
        }
        return lag;
    }

    /** max(0, max offset − committed) of one queue; a queue without a commit counts from 0. */
    public long of(String group, String topic, int queueId) {
        long max = Math.max(0, store.maxOffsetInQueue(topic, queueId));
        long committed = Math.max(0, offsets.query(group, topic, queueId));
        return Math.max(0, max - committed);
    }
}

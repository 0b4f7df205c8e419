package io.tern.broker.metrics;

import io.tern.broker.BrokerServices;
import io.tern.common.protocol.TopicConfig;

/** Consumer lag from offsets: the same figures GET_CONSUME_STATS reports. Reads only memory and mapped pages. */
public final class ConsumerLag {
    private ConsumerLag() {
    }

    /** Σ max(0, max offset − committed) over the topic's read queues; -1 when the topic does not exist. */
    public static long of(BrokerServices broker, String group, String topic) {
        TopicConfig tc = broker.topics.get(topic);
        if (tc == null) {
            return -1;
        }
        long lag = 0;
        for (int q = 0; q < tc.readQueueNums; q++) {
            lag += of(broker, group, topic, q);
        }
        return lag;
    }

    /** max(0, max offset − committed) of one queue; a queue without a commit counts from 0. */
    public static long of(BrokerServices broker, String group, String topic, int queueId) {
        long max = Math.max(0, broker.store.maxOffsetInQueue(topic, queueId));
        long committed = Math.max(0, broker.offsets.query(group, topic, queueId));
        return Math.max(0, max - committed);
    }
}

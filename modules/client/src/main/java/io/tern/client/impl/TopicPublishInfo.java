package io.tern.client.impl;

import io.tern.common.protocol.BrokerData;
import io.tern.common.protocol.MessageQueue;
import io.tern.common.protocol.PermName;
import io.tern.common.protocol.QueueData;
import io.tern.common.protocol.TopicRouteData;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The queues a producer may send a topic's messages to (spec 3.2.4): for each queue data with the write bit whose
 * broker has a master (id 0), ids 0 … writeQueueNums-1, sorted by broker name. Round-robin selection.
 *
 * <p>Not thread-safe; owned by the client's context.
 */
final class TopicPublishInfo {
    final List<MessageQueue> queues;
    /** true while the topic is unknown to the nameserver and the default topic's route stands in for it. */
    final boolean viaDefaultTopic;
    private int next;

    TopicPublishInfo(List<MessageQueue> queues, boolean viaDefaultTopic) {
        this.queues = List.copyOf(queues);
        this.viaDefaultTopic = viaDefaultTopic;
        this.next = Math.floorMod((int) System.nanoTime(), Math.max(1, queues.size()));
    }

    /** @param maxQueuesPerBroker clamp for routes borrowed from the default topic; Integer.MAX_VALUE otherwise */
    static TopicPublishInfo of(String topic, TopicRouteData route, int maxQueuesPerBroker, boolean viaDefaultTopic) {
        List<QueueData> datas = new ArrayList<>(route.queueDatas);
        datas.sort(Comparator.comparing(q -> q.brokerName));
        List<MessageQueue> queues = new ArrayList<>();
        for (QueueData qd : datas) {
            if (!PermName.isWriteable(qd.perm) || !hasMaster(route, qd.brokerName)) {
                continue;
            }
            int count = Math.min(qd.writeQueueNums, viaDefaultTopic ? Math.min(maxQueuesPerBroker, qd.readQueueNums)
                    : Integer.MAX_VALUE);
            for (int i = 0; i < count; i++) {
                queues.add(new MessageQueue(topic, qd.brokerName, i));
            }
        }
        return new TopicPublishInfo(queues, viaDefaultTopic);
    }

    private static boolean hasMaster(TopicRouteData route, String brokerName) {
        for (BrokerData bd : route.brokerDatas) {
            if (brokerName.equals(bd.brokerName) && bd.brokerAddrs.get(0L) != null) {
                return true;
            }
        }
        return false;
    }

    boolean isEmpty() {
        return queues.isEmpty();
    }

    /** Next queue round-robin, avoiding {@code lastBrokerName} (the broker of a failed attempt) when possible. */
    MessageQueue select(String lastBrokerName) {
        int size = queues.size();
        if (lastBrokerName != null) {
            for (int i = 0; i < size; i++) {
                MessageQueue mq = queues.get(Math.floorMod(next++, size));
                if (!mq.brokerName.equals(lastBrokerName)) {
                    return mq;
                }
            }
        }
        return queues.get(Math.floorMod(next++, size));
    }
}

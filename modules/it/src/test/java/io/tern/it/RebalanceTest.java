package io.tern.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Set;
import org.apache.rocketmq.client.consumer.DefaultMQPushConsumer;
import org.apache.rocketmq.client.producer.DefaultMQProducer;
import org.apache.rocketmq.client.producer.SendStatus;
import org.apache.rocketmq.common.message.Message;
import org.apache.rocketmq.common.message.MessageQueue;
import org.junit.jupiter.api.Test;

/**
 * Two push consumers of one group split the 4 queues and together receive each message once; after one leaves,
 * the other takes every queue. Rebalancing is fast because the broker notifies the group when it changes
 * (NOTIFY_CONSUMER_IDS_CHANGED) and surefire sets rocketmq.client.rebalance.waitInterval to 2 s.
 */
class RebalanceTest extends EmbeddedTernTestBase {

    @Test
    void twoConsumersSplitQueuesAndTheSurvivorTakesOver() throws Exception {
        String topic = Clients.unique("Rebalance");
        String group = Clients.unique("CG");
        DefaultMQProducer producer = Clients.producer(tern.namesrvAddr());
        producer.setDefaultTopicQueueNums(4);
        DefaultMQPushConsumer first = Clients.pushConsumer(tern.namesrvAddr(), group);
        DefaultMQPushConsumer second = Clients.pushConsumer(tern.namesrvAddr(), group);
        Received firstReceived = new Received();
        Received secondReceived = new Received();
        try {
            producer.start();
            // create the topic (4 queues) before the consumers subscribe
            assertEquals(SendStatus.SEND_OK, producer.send(message(topic, "warm-up")).getSendStatus());

            first.subscribe(topic, "*");
            first.registerMessageListener(firstReceived);
            second.subscribe(topic, "*");
            second.registerMessageListener(secondReceived);
            first.start();
            second.start();

            Await.until("2 + 2 queues", 60_000,
                    () -> owned(first, topic).size() == 2 && owned(second, topic).size() == 2,
                    () -> "first " + owned(first, topic) + ", second " + owned(second, topic));
            Set<MessageQueue> union = new HashSet<>(owned(first, topic));
            union.addAll(owned(second, topic));
            assertEquals(4, union.size(), "the two consumers own disjoint queues");
            // both may briefly own the warm-up's queue while the group settles (at-least-once), so >= 1
            Await.until("warm-up message", 30_000, () -> firstReceived.count() + secondReceived.count() >= 1);
            Await.sleep(500);
            firstReceived.clear();
            secondReceived.clear();

            Set<String> sentPhase1 = sendBatch(producer, topic, "split", 200);
            Await.until("200 messages across both", 60_000,
                    () -> receivedKeys(firstReceived, secondReceived).containsAll(sentPhase1),
                    () -> "first " + firstReceived.count() + ", second " + secondReceived.count());
            assertTrue(firstReceived.count() > 0 && secondReceived.count() > 0, "both consumers got messages");
            Set<String> overlap = new HashSet<>(firstReceived.byMsgId.keySet());
            overlap.retainAll(secondReceived.byMsgId.keySet());
            assertTrue(overlap.isEmpty(), "no message went to both: " + overlap);
            assertTrue(firstReceived.duplicates.isEmpty() && secondReceived.duplicates.isEmpty(), "no duplicates");

            second.shutdown();
            Await.until("survivor owns 4 queues", 60_000, () -> owned(first, topic).size() == 4,
                    () -> "first " + owned(first, topic));
            int firstBefore = firstReceived.count();
            Set<String> sentPhase2 = sendBatch(producer, topic, "takeover", 100);
            Await.until("survivor receives all 100", 60_000,
                    () -> receivedKeys(firstReceived).containsAll(sentPhase2),
                    () -> "first got " + (firstReceived.count() - firstBefore));
            assertFalse(receivedKeys(secondReceived).stream().anyMatch(sentPhase2::contains));
        } finally {
            Clients.shutdown(first, second, producer);
        }
    }

    static Set<MessageQueue> owned(DefaultMQPushConsumer consumer, String topic) {
        Set<MessageQueue> queues = new HashSet<>();
        consumer.getDefaultMQPushConsumerImpl().getRebalanceImpl().getProcessQueueTable().forEach((mq, pq) -> {
            if (mq.getTopic().equals(topic) && !pq.isDropped()) {
                queues.add(mq);
            }
        });
        return queues;
    }

    private static Set<String> sendBatch(DefaultMQProducer producer, String topic, String prefix, int count)
            throws Exception {
        Set<String> keys = new HashSet<>();
        for (int i = 0; i < count; i++) {
            String key = prefix + "-" + i;
            assertEquals(SendStatus.SEND_OK, producer.send(message(topic, key)).getSendStatus());
            keys.add(key);
        }
        return keys;
    }

    private static Set<String> receivedKeys(Received... receivers) {
        Set<String> keys = new HashSet<>();
        for (Received r : receivers) {
            r.all().forEach(m -> keys.add(m.getKeys()));
        }
        return keys;
    }

    private static Message message(String topic, String key) {
        return new Message(topic, "TagA", key, key.getBytes(StandardCharsets.UTF_8));
    }
}

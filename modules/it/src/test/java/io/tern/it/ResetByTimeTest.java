package io.tern.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.apache.rocketmq.client.consumer.DefaultMQPushConsumer;
import org.apache.rocketmq.client.producer.DefaultMQProducer;
import org.apache.rocketmq.client.producer.SendResult;
import org.apache.rocketmq.client.producer.SendStatus;
import org.apache.rocketmq.common.TopicConfig;
import org.apache.rocketmq.common.consumer.ConsumeFromWhere;
import org.apache.rocketmq.common.message.Message;
import org.apache.rocketmq.common.message.MessageQueue;
import org.apache.rocketmq.common.subscription.SubscriptionGroupConfig;
import org.apache.rocketmq.tools.admin.DefaultMQAdminExt;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Reset by time with the official 4.9.8 client and admin (mqadmin resetOffsetByTime's call): a reset to a time
 * between two bursts re-delivers exactly the later burst, for a group online, offline, and one that exists but never
 * committed. The gap after the early burst is short and the one before the later burst long, so 4.x's "nearer
 * neighbour" search would answer the early burst's last message of every queue and fail these tests.
 */
class ResetByTimeTest extends EmbeddedTernTestBase {
    static final int QUEUES = 4;
    static final int PER_QUEUE = 5;

    String topic;
    DefaultMQProducer producer;
    DefaultMQAdminExt admin;
    final Map<String, String> early = new HashMap<>();
    final Map<String, String> late = new HashMap<>();
    /** The later burst's first queue offset per queue: where the reset must land. */
    final Map<Integer, Long> firstLateOffset = new HashMap<>();
    long between;

    @BeforeEach
    void twoBursts() throws Exception {
        topic = Clients.unique("ResetTopic");
        producer = Clients.producer(tern.namesrvAddr());
        admin = Clients.admin(tern.namesrvAddr());
        producer.start();
        admin.start();
        admin.createAndUpdateTopicConfig(tern.brokerAddr(), new TopicConfig(topic, QUEUES, QUEUES, 6));
        burst("early", early);
        Await.sleep(20);
        between = System.currentTimeMillis();
        Await.sleep(300);
        burst("late", late);
    }

    @AfterEach
    void close() {
        Clients.shutdown(producer, admin);
    }

    private void burst(String name, Map<String, String> sent) throws Exception {
        for (int i = 0; i < QUEUES * PER_QUEUE; i++) {
            int queue = i % QUEUES;
            Message msg = new Message(topic, name, (name + i).getBytes(StandardCharsets.UTF_8));
            SendResult r = producer.send(msg, (mqs, m, arg) -> mqs.get((Integer) arg), queue);
            assertEquals(SendStatus.SEND_OK, r.getSendStatus());
            sent.put(r.getMsgId(), name + i);
            if (name.equals("late")) {
                firstLateOffset.merge(queue, r.getQueueOffset(), Math::min);
            }
        }
    }

    @Test
    void searchOffsetByTimestampAnswersTheLaterBurstsFirstOffset() throws Exception {
        for (int q = 0; q < QUEUES; q++) {
            MessageQueue mq = new MessageQueue(topic, tern.brokerName(), q);
            assertEquals(firstLateOffset.get(q), admin.searchOffset(mq, between), "queue " + q);
            assertEquals(0, admin.searchOffset(mq, 0));
            assertEquals(2L * PER_QUEUE, admin.searchOffset(mq, System.currentTimeMillis() + 60_000),
                    "after the last message: the queue's end");
        }
    }

    @Test
    void anOnlineGroupIsToldAndReceivesExactlyTheLaterBurstAgain() throws Exception {
        String group = Clients.unique("ResetOnline");
        Received received = new Received();
        DefaultMQPushConsumer consumer = consumer(group, received, ConsumeFromWhere.CONSUME_FROM_FIRST_OFFSET);
        try {
            consumer.start();
            Await.until("both bursts consumed", 30_000, () -> received.count() == early.size() + late.size());
            received.clear();

            Map<MessageQueue, Long> reset = admin.resetOffsetByTimestamp(topic, group, between, true);
            assertOffsetsAreTheLaterBurst(reset);
            // the 4.9 client pauses 10 s after RESET_CONSUMER_CLIENT_OFFSET before it pulls from the new offsets
            Await.until("the later burst again", 60_000, () -> received.count() == late.size(),
                    () -> received.count() + " received");
            assertExactlyTheLaterBurst(received);
        } finally {
            Clients.shutdown(consumer);
        }
    }

    @Test
    void anOfflineGroupReceivesExactlyTheLaterBurstWhenItComesBack() throws Exception {
        String group = Clients.unique("ResetOffline");
        Received first = new Received();
        DefaultMQPushConsumer consumer = consumer(group, first, ConsumeFromWhere.CONSUME_FROM_FIRST_OFFSET);
        try {
            consumer.start();
            Await.until("both bursts consumed", 30_000, () -> first.count() == early.size() + late.size());
        } finally {
            Clients.shutdown(consumer);
        }
        Await.until("the consumer gone", 10_000, () -> consumerOffline(group));

        assertOffsetsAreTheLaterBurst(admin.resetOffsetByTimestamp(topic, group, between, true));

        Received again = new Received();
        DefaultMQPushConsumer back = consumer(group, again, ConsumeFromWhere.CONSUME_FROM_LAST_OFFSET);
        try {
            back.start();
            Await.until("the later burst again", 30_000, () -> again.count() == late.size(),
                    () -> again.count() + " received");
            assertExactlyTheLaterBurst(again);
        } finally {
            Clients.shutdown(back);
        }
    }

    @Test
    void aGroupThatNeverCommittedStartsAtTheLaterBurst() throws Exception {
        String group = Clients.unique("ResetNeverCommitted");
        SubscriptionGroupConfig config = new SubscriptionGroupConfig();
        config.setGroupName(group);
        admin.createAndUpdateSubscriptionGroupConfig(tern.brokerAddr(), config);

        assertOffsetsAreTheLaterBurst(admin.resetOffsetByTimestamp(topic, group, between, true));

        Received received = new Received();
        // without the reset this group would start at offset 0 of these young queues and read the early burst
        DefaultMQPushConsumer consumer = consumer(group, received, ConsumeFromWhere.CONSUME_FROM_FIRST_OFFSET);
        try {
            consumer.start();
            Await.until("the later burst", 30_000, () -> received.count() == late.size(),
                    () -> received.count() + " received");
            assertExactlyTheLaterBurst(received);
        } finally {
            Clients.shutdown(consumer);
        }
    }

    private DefaultMQPushConsumer consumer(String group, Received listener, ConsumeFromWhere from)
            throws Exception {
        DefaultMQPushConsumer consumer = Clients.pushConsumer(tern.namesrvAddr(), group);
        consumer.setConsumeFromWhere(from);
        consumer.subscribe(topic, "*");
        consumer.registerMessageListener(listener);
        return consumer;
    }

    private boolean consumerOffline(String group) {
        try {
            return admin.examineConsumerConnectionInfo(group).getConnectionSet().isEmpty();
        } catch (Exception e) {
            return true; // "not online" is answered as an error
        }
    }

    private void assertOffsetsAreTheLaterBurst(Map<MessageQueue, Long> offsets) {
        assertEquals(QUEUES, offsets.size(), offsets::toString);
        offsets.forEach((mq, offset) -> assertEquals(firstLateOffset.get(mq.getQueueId()), offset, mq::toString));
    }

    /**
     * Every message of the later burst arrived again and none of the earlier one; a queue's messages are pulled in
     * offset order, so an early message would have come with or before the later ones of its queue.
     */
    private void assertExactlyTheLaterBurst(Received received) {
        Set<String> early = received.byMsgId.keySet().stream().filter(this.early::containsKey)
                .collect(Collectors.toCollection(TreeSet::new));
        assertTrue(early.isEmpty(), "re-delivered from before the time: " + bodies(early, this.early));
        assertEquals(late.keySet(), received.byMsgId.keySet());
    }

    private static List<String> bodies(Set<String> ids, Map<String, String> sent) {
        List<String> out = new ArrayList<>();
        ids.forEach(id -> out.add(sent.get(id)));
        return out;
    }
}

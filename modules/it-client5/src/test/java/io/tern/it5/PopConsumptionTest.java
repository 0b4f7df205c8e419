package io.tern.it5;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tern.server.EmbeddedTern;
import io.tern.server.EmbeddedTernOptions;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.rocketmq.client.consumer.AckResult;
import org.apache.rocketmq.client.consumer.AckStatus;
import org.apache.rocketmq.client.consumer.DefaultMQPullConsumer;
import org.apache.rocketmq.client.consumer.DefaultMQPushConsumer;
import org.apache.rocketmq.client.consumer.PopResult;
import org.apache.rocketmq.client.consumer.PullResult;
import org.apache.rocketmq.client.consumer.PullStatus;
import org.apache.rocketmq.client.consumer.listener.ConsumeConcurrentlyStatus;
import org.apache.rocketmq.client.consumer.listener.MessageListenerConcurrently;
import org.apache.rocketmq.client.producer.DefaultMQProducer;
import org.apache.rocketmq.client.producer.SendStatus;
import org.apache.rocketmq.common.consumer.ConsumeFromWhere;
import org.apache.rocketmq.common.message.Message;
import org.apache.rocketmq.common.message.MessageExt;
import org.apache.rocketmq.common.message.MessageQueue;
import org.apache.rocketmq.common.message.MessageRequestMode;
import org.apache.rocketmq.remoting.protocol.subscription.SubscriptionGroupConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Pop consumption with the 5.3.3 remoting client: its push consumer with broker-side assignment
 * ({@code setClientRebalance(false)}) in POP mode, and its pop API (pop, ack, changeInvisibleTime) for the invisible
 * time, retries, the DLQ and a restart. Invisible times are short; every time check is a lower bound.
 */
class PopConsumptionTest extends EmbeddedPopTest {
    private static final long INVISIBLE_MS = 2_000;

    static void send(DefaultMQProducer p, String topic, String key) throws Exception {
        Message m = new Message(topic, "TagA", key, ("body of " + key).getBytes(StandardCharsets.UTF_8));
        assertEquals(SendStatus.SEND_OK, p.send(m).getSendStatus());
    }

    /** Pops until a message comes (or the deadline passes); null if none came. */
    static MessageExt popOne(PopClient client, String topic, String group, long invisibleMs, long deadlineMs)
            throws Exception {
        while (System.currentTimeMillis() < deadlineMs) {
            List<MessageExt> found = PopClient.found(client.pop(topic, group, 1, invisibleMs, 1_000, false));
            if (!found.isEmpty()) {
                return found.get(0);
            }
        }
        return null;
    }

    @Test
    void twoPushConsumersOfOneGroupShareHundredMessages() throws Exception {
        String topic = unique("PopShare");
        String group = unique("PopShareCG");
        send(producer, topic, "m-0");
        pops.api().setMessageRequestMode(tern.brokerAddr(), topic, group, MessageRequestMode.POP, 0, 5_000);

        Map<String, AtomicInteger> deliveries = new ConcurrentHashMap<>();
        List<AtomicInteger> perConsumer = List.of(new AtomicInteger(), new AtomicInteger());
        List<DefaultMQPushConsumer> consumers = new ArrayList<>();
        try {
            for (int c = 0; c < 2; c++) {
                AtomicInteger mine = perConsumer.get(c);
                DefaultMQPushConsumer consumer = new DefaultMQPushConsumer(group);
                consumer.setNamesrvAddr(tern.namesrvAddr());
                consumer.setInstanceName(unique("popc"));
                consumer.setClientRebalance(false);
                consumer.setConsumeFromWhere(ConsumeFromWhere.CONSUME_FROM_FIRST_OFFSET);
                consumer.setPopBatchNums(4);
                consumer.subscribe(topic, "*");
                consumer.registerMessageListener((MessageListenerConcurrently) (msgs, ctx) -> {
                    for (MessageExt m : msgs) {
                        deliveries.computeIfAbsent(m.getKeys(), k -> new AtomicInteger()).incrementAndGet();
                        mine.incrementAndGet();
                    }
                    return ConsumeConcurrentlyStatus.CONSUME_SUCCESS;
                });
                consumer.start();
                consumers.add(consumer);
            }
            long deadline = System.currentTimeMillis() + 60_000;
            while (System.currentTimeMillis() < deadline && !consumers.stream().allMatch(c ->
                    !c.getDefaultMQPushConsumerImpl().getRebalanceImpl().getPopProcessQueueTable().isEmpty())) {
                Thread.sleep(50);
            }
            for (DefaultMQPushConsumer c : consumers) {
                assertFalse(c.getDefaultMQPushConsumerImpl().getRebalanceImpl().getPopProcessQueueTable().isEmpty(),
                        "the broker assigned the topic to every consumer in POP mode");
            }
            for (int i = 1; i < 100; i++) {
                send(producer, topic, "m-" + i);
            }
            while (System.currentTimeMillis() < deadline && deliveries.size() < 100) {
                Thread.sleep(50);
            }
            assertEquals(100, deliveries.size(), "distinct messages consumed");
            deliveries.forEach((k, n) -> assertEquals(1, n.get(), k + " consumed once"));
            assertEquals(100, perConsumer.get(0).get() + perConsumer.get(1).get());
            assertTrue(perConsumer.get(0).get() > 0 && perConsumer.get(1).get() > 0,
                    "both consumers got messages: " + perConsumer);
        } finally {
            consumers.forEach(DefaultMQPushConsumer::shutdown);
        }
    }

    @Test
    void unacknowledgedMessageReappearsAfterItsInvisibleTime() throws Exception {
        String topic = unique("PopAgain");
        String group = unique("PopAgainCG");
        send(producer, topic, "again");
        long deadline = System.currentTimeMillis() + 60_000;
        MessageExt first = popOne(pops, topic, group, INVISIBLE_MS, deadline);
        long poppedAt = System.currentTimeMillis();
        assertNotNull(first);
        assertEquals("again", first.getKeys());
        assertEquals(0, first.getReconsumeTimes());

        MessageExt again = popOne(pops, topic, group, INVISIBLE_MS, deadline);
        assertNotNull(again, "the unacknowledged message came back");
        assertTrue(System.currentTimeMillis() - poppedAt >= INVISIBLE_MS - 1_000,
                "not before its invisible time");
        assertEquals("again", again.getKeys());
        assertEquals(1, again.getReconsumeTimes());
        assertEquals(first.getMsgId(), again.getMsgId());
        assertEquals(AckStatus.OK, pops.ack(again, group).getStatus());

        MessageExt afterAck = popOne(pops, topic, group, INVISIBLE_MS,
                System.currentTimeMillis() + 3 * INVISIBLE_MS);
        assertEquals(null, afterAck, "an acknowledged message stays gone");
    }

    @Test
    void changeInvisibleTimeExtendsIt() throws Exception {
        String topic = unique("PopExtend");
        String group = unique("PopExtendCG");
        send(producer, topic, "extend");
        long deadline = System.currentTimeMillis() + 60_000;
        MessageExt first = popOne(pops, topic, group, INVISIBLE_MS, deadline);
        assertNotNull(first);
        long changedAt = System.currentTimeMillis();
        long extendedMs = 3 * INVISIBLE_MS;
        AckResult changed = pops.changeInvisibleTime(first, group, extendedMs);
        assertEquals(AckStatus.OK, changed.getStatus());

        MessageExt again = popOne(pops, topic, group, INVISIBLE_MS, deadline);
        assertNotNull(again, "visible again once the new invisible time is over");
        assertTrue(System.currentTimeMillis() - changedAt >= extendedMs,
                "the old invisible time no longer applies");
        assertEquals("extend", again.getKeys());
        assertEquals(1, again.getReconsumeTimes());
        assertEquals(AckStatus.OK, pops.ack(again, group).getStatus());
    }

    @Test
    void afterTheMaximumRetriesTheMessageIsInTheDlq() throws Exception {
        String topic = unique("PopDlq");
        String group = unique("PopDlqCG");
        SubscriptionGroupConfig gc = new SubscriptionGroupConfig();
        gc.setGroupName(group);
        gc.setRetryMaxTimes(2);
        pops.api().createSubscriptionGroup(tern.brokerAddr(), gc, 5_000);
        send(producer, topic, "doomed");

        List<Integer> reconsumeTimes = new ArrayList<>();
        long deadline = System.currentTimeMillis() + 60_000;
        while (reconsumeTimes.size() < 3 && System.currentTimeMillis() < deadline) {
            MessageExt m = popOne(pops, topic, group, 1_000, deadline);
            if (m != null) {
                assertEquals("doomed", m.getKeys());
                reconsumeTimes.add(m.getReconsumeTimes());
            }
        }
        assertEquals(List.of(0, 1, 2), reconsumeTimes, "delivered once and retried retryMaxTimes times");

        DefaultMQPullConsumer reader = new DefaultMQPullConsumer(unique("DlqReader"));
        reader.setNamesrvAddr(tern.namesrvAddr());
        reader.setInstanceName(unique("dlq"));
        reader.start();
        try {
            MessageQueue dlq = new MessageQueue("%DLQ%" + group, tern.brokerName(), 0);
            MessageExt dead = null;
            while (dead == null && System.currentTimeMillis() < deadline) {
                try {
                    PullResult r = reader.pull(dlq, "*", 0, 32);
                    if (r.getPullStatus() == PullStatus.FOUND) {
                        dead = r.getMsgFoundList().get(0);
                    }
                } catch (Exception notRoutedYet) {
                    // the DLQ topic is created by the revive; its route reaches the nameserver just after
                }
                if (dead == null) {
                    Thread.sleep(200);
                }
            }
            assertNotNull(dead, "the message is in the DLQ");
            assertEquals("doomed", dead.getKeys());
            assertEquals(3, dead.getReconsumeTimes());
        } finally {
            reader.shutdown();
        }
        assertEquals(null, popOne(pops, topic, group, 1_000, System.currentTimeMillis() + 3_000),
                "not delivered again once in the DLQ");
    }

    @Test
    void popStateSurvivesARestart(@TempDir Path ownStore) throws Exception {
        long invisibleMs = 4_000;
        try (EmbeddedTern own = EmbeddedTern.start(new EmbeddedTernOptions(ownStore)
                .broker("popReviveIntervalMs", 200))) {
            String topic = unique("PopRestart");
            String group = unique("PopRestartCG");
            DefaultMQProducer p = new DefaultMQProducer(unique("PopRestartPG"));
            p.setNamesrvAddr(own.namesrvAddr());
            p.setInstanceName(unique("prp"));
            p.start();
            Map<String, MessageExt> popped = new ConcurrentHashMap<>();
            try (PopClient before = new PopClient(own.namesrvAddr(), unique("prc"), own.brokerName(),
                    own.brokerAddr())) {
                for (String k : List.of("acked", "pending-1", "pending-2")) {
                    send(p, topic, k);
                }
                long deadline = System.currentTimeMillis() + 30_000;
                while (popped.size() < 3 && System.currentTimeMillis() < deadline) {
                    for (MessageExt m : PopClient.found(before.pop(topic, group, 32, invisibleMs, 1_000, false))) {
                        popped.put(m.getKeys(), m);
                    }
                }
                assertEquals(3, popped.size());
                assertEquals(AckStatus.OK, before.ack(popped.get("acked"), group).getStatus());
                send(p, topic, "after");
            } finally {
                p.shutdown();
            }

            own.restart();

            Map<String, Integer> after = new ConcurrentHashMap<>();
            try (PopClient client = new PopClient(own.namesrvAddr(), unique("prc"), own.brokerName(),
                    own.brokerAddr())) {
                long deadline = System.currentTimeMillis() + 60_000;
                while (after.size() < 3 && System.currentTimeMillis() < deadline) {
                    for (MessageExt m : PopClient.found(client.pop(topic, group, 32, 60_000, 1_000, false))) {
                        assertFalse(after.containsKey(m.getKeys()), "delivered twice: " + m.getKeys());
                        after.put(m.getKeys(), m.getReconsumeTimes());
                    }
                }
                assertEquals(Map.of("after", 0, "pending-1", 1, "pending-2", 1), after,
                        "the offset, the pending checkpoints and the ack survived");
                long quietUntil = System.currentTimeMillis() + 2 * invisibleMs;
                while (System.currentTimeMillis() < quietUntil) {
                    List<MessageExt> more = PopClient.found(client.pop(topic, group, 32, 60_000, 1_000, false));
                    assertTrue(more.isEmpty(), "nothing else comes back: " + more);
                }
            }
        }
    }
}

package io.tern.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.rocketmq.client.consumer.DefaultMQPushConsumer;
import org.apache.rocketmq.client.consumer.listener.ConsumeOrderlyStatus;
import org.apache.rocketmq.client.consumer.listener.MessageListenerOrderly;
import org.apache.rocketmq.client.producer.DefaultMQProducer;
import org.apache.rocketmq.client.producer.SendStatus;
import org.apache.rocketmq.common.message.Message;
import org.apache.rocketmq.common.protocol.heartbeat.MessageModel;
import org.junit.jupiter.api.Test;

/** An orderly listener (LOCK_BATCH_MQ) sees one queue in send order; broadcasting consumers each see everything. */
class OrderlyAndBroadcastTest extends EmbeddedTernTestBase {

    @Test
    void orderlyListenerReceivesAQueueInSendOrder() throws Exception {
        String topic = Clients.unique("Orderly");
        DefaultMQProducer producer = Clients.producer(tern.namesrvAddr());
        DefaultMQPushConsumer consumer = Clients.pushConsumer(tern.namesrvAddr(), Clients.unique("CG"));
        List<String> received = new CopyOnWriteArrayList<>();
        try {
            producer.start();
            List<String> sent = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
                String key = "order-" + i;
                assertEquals(SendStatus.SEND_OK, producer.send(new Message(topic, "TagA", key,
                        key.getBytes(StandardCharsets.UTF_8)), (mqs, m, arg) -> mqs.get(1), null).getSendStatus());
                sent.add(key);
            }
            consumer.subscribe(topic, "*");
            consumer.registerMessageListener((MessageListenerOrderly) (msgs, ctx) -> {
                msgs.forEach(m -> received.add(m.getKeys()));
                return ConsumeOrderlyStatus.SUCCESS;
            });
            consumer.start();
            Await.until("100 messages", 60_000, () -> received.size() >= 100, () -> "received " + received.size());
            assertEquals(sent, received);
        } finally {
            Clients.shutdown(consumer, producer);
        }
    }

    @Test
    void broadcastingConsumersEachReceiveEveryMessage() throws Exception {
        String topic = Clients.unique("Broadcast");
        String group = Clients.unique("CG");
        DefaultMQProducer producer = Clients.producer(tern.namesrvAddr());
        DefaultMQPushConsumer first = Clients.pushConsumer(tern.namesrvAddr(), group);
        DefaultMQPushConsumer second = Clients.pushConsumer(tern.namesrvAddr(), group);
        Received firstReceived = new Received();
        Received secondReceived = new Received();
        try {
            producer.start();
            assertEquals(SendStatus.SEND_OK, producer.send(new Message(topic, "TagA", "warm-up", "w".getBytes()))
                    .getSendStatus());
            first.setMessageModel(MessageModel.BROADCASTING);
            second.setMessageModel(MessageModel.BROADCASTING);
            first.subscribe(topic, "*");
            second.subscribe(topic, "*");
            first.registerMessageListener(firstReceived);
            second.registerMessageListener(secondReceived);
            first.start();
            second.start();
            Await.until("both own all 4 queues", 30_000, () -> RebalanceTest.owned(first, topic).size() == 4
                    && RebalanceTest.owned(second, topic).size() == 4);
            int firstBefore = firstReceived.count();
            int secondBefore = secondReceived.count();
            for (int i = 0; i < 40; i++) {
                assertEquals(SendStatus.SEND_OK, producer.send(new Message(topic, "TagA", "b-" + i,
                        ("b-" + i).getBytes(StandardCharsets.UTF_8))).getSendStatus());
            }
            Await.until("each receives all 40", 60_000,
                    () -> firstReceived.count() - firstBefore >= 40 && secondReceived.count() - secondBefore >= 40,
                    () -> firstReceived.count() + " / " + secondReceived.count());
        } finally {
            Clients.shutdown(first, second, producer);
        }
    }
}

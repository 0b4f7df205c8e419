package io.tern.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.rocketmq.client.consumer.DefaultMQPushConsumer;
import org.apache.rocketmq.client.consumer.listener.ConsumeConcurrentlyStatus;
import org.apache.rocketmq.client.consumer.listener.MessageListenerConcurrently;
import org.apache.rocketmq.client.producer.DefaultMQProducer;
import org.apache.rocketmq.client.producer.SendStatus;
import org.apache.rocketmq.common.message.Message;
import org.apache.rocketmq.common.message.MessageExt;
import org.junit.jupiter.api.Test;

/**
 * A consume failure (RECONSUME_LATER) sends the message back (CONSUMER_SEND_MSG_BACK) and it returns through
 * %RETRY%group with reconsumeTimes 1; a message with delay level 2 (5 s) is delivered only after its delay.
 */
class RetryAndDelayTest extends EmbeddedTernTestBase {

    @Test
    void failedMessageIsRedeliveredThroughTheRetryTopic() throws Exception {
        String topic = Clients.unique("Retry");
        String group = Clients.unique("CG");
        DefaultMQProducer producer = Clients.producer(tern.namesrvAddr());
        DefaultMQPushConsumer consumer = Clients.pushConsumer(tern.namesrvAddr(), group);
        List<MessageExt> attempts = new CopyOnWriteArrayList<>();
        try {
            producer.start();
            assertEquals(SendStatus.SEND_OK, producer.send(new Message(topic, "TagA", "retry-me",
                    "please retry".getBytes(StandardCharsets.UTF_8))).getSendStatus());
            consumer.subscribe(topic, "*");
            consumer.registerMessageListener((MessageListenerConcurrently) (msgs, ctx) -> {
                attempts.addAll(msgs);
                return attempts.size() == 1 ? ConsumeConcurrentlyStatus.RECONSUME_LATER
                        : ConsumeConcurrentlyStatus.CONSUME_SUCCESS;
            });
            consumer.start();
            // first retry uses delay level 3 (10 s)
            Await.until("the redelivery", 40_000, () -> attempts.size() >= 2, () -> "attempts " + attempts.size());
            MessageExt first = attempts.get(0);
            MessageExt retried = attempts.get(1);
            assertEquals(0, first.getReconsumeTimes());
            assertEquals(1, retried.getReconsumeTimes());
            assertEquals("retry-me", retried.getKeys());
            assertEquals(topic, retried.getTopic(), "the client restores the original topic");
            assertEquals(first.getMsgId(), retried.getMsgId(), "same client message id");
            assertEquals("please retry", new String(retried.getBody(), StandardCharsets.UTF_8));
            Await.sleep(1_000);
            assertEquals(2, attempts.size(), "consumed once more, then done");
        } finally {
            Clients.shutdown(consumer, producer);
        }
    }

    @Test
    void delayedMessageArrivesAfterItsDelay() throws Exception {
        String topic = Clients.unique("Delay");
        DefaultMQProducer producer = Clients.producer(tern.namesrvAddr());
        DefaultMQPushConsumer consumer = Clients.pushConsumer(tern.namesrvAddr(), Clients.unique("CG"));
        AtomicReference<MessageExt> delivered = new AtomicReference<>();
        try {
            producer.start();
            assertEquals(SendStatus.SEND_OK, producer.send(new Message(topic, "TagA", "warm-up", "w".getBytes()))
                    .getSendStatus());
            consumer.subscribe(topic, "*");
            consumer.registerMessageListener((MessageListenerConcurrently) (msgs, ctx) -> {
                msgs.stream().filter(m -> "delayed".equals(m.getKeys())).forEach(delivered::set);
                return ConsumeConcurrentlyStatus.CONSUME_SUCCESS;
            });
            consumer.start();
            Message msg = new Message(topic, "TagA", "delayed", "later".getBytes(StandardCharsets.UTF_8));
            msg.setDelayTimeLevel(2); // 5 s
            long sentAtMs = System.currentTimeMillis();
            assertEquals(SendStatus.SEND_OK, producer.send(msg).getSendStatus());
            Await.until("the delayed message", 30_000, () -> delivered.get() != null);
            long receivedAfterMs = System.currentTimeMillis() - sentAtMs;
            System.out.println("delay level 2 (5 s): delivered " + receivedAfterMs + " ms after the send");
            MessageExt got = delivered.get();
            assertEquals(topic, got.getTopic());
            assertEquals("later", new String(got.getBody(), StandardCharsets.UTF_8));
            assertTrue(receivedAfterMs >= 4_900, "not delivered before its 5 s delay: " + receivedAfterMs + " ms");
        } finally {
            Clients.shutdown(consumer, producer);
        }
    }
}

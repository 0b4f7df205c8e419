package io.tern.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.rocketmq.client.consumer.DefaultMQPushConsumer;
import org.apache.rocketmq.client.consumer.listener.ConsumeConcurrentlyStatus;
import org.apache.rocketmq.client.consumer.listener.MessageListenerConcurrently;
import org.apache.rocketmq.client.producer.DefaultMQProducer;
import org.apache.rocketmq.client.producer.SendStatus;
import org.apache.rocketmq.common.message.Message;
import org.junit.jupiter.api.Test;

/**
 * A push consumer whose pulls are parked (empty queues, 15 s broker suspend) gets a new message as soon as it is
 * stored: the arrival wakes the parked pull. The latency is logged, not asserted; the wait is bounded below the
 * suspend timeout, which is what a broker without wake-ups would need.
 */
class LongPollTest extends EmbeddedTernTestBase {

    @Test
    void parkedPullWakesUpOnArrival() throws Exception {
        String topic = Clients.unique("LongPoll");
        DefaultMQProducer producer = Clients.producer(tern.namesrvAddr());
        DefaultMQPushConsumer consumer = Clients.pushConsumer(tern.namesrvAddr(), Clients.unique("CG"));
        AtomicLong receivedAtNanos = new AtomicLong();
        try {
            producer.start();
            assertEquals(SendStatus.SEND_OK, producer.send(new Message(topic, "TagA", "first".getBytes())).getSendStatus());
            consumer.subscribe(topic, "*");
            consumer.registerMessageListener((MessageListenerConcurrently) (msgs, ctx) -> {
                msgs.stream().filter(m -> "wake".equals(m.getKeys()))
                        .forEach(m -> receivedAtNanos.compareAndSet(0, System.nanoTime()));
                return ConsumeConcurrentlyStatus.CONSUME_SUCCESS;
            });
            consumer.start();
            Await.until("queues assigned", 30_000, () -> RebalanceTest.owned(consumer, topic).size() == 4);
            // let the consumer drain "first" and park a pull on every queue
            Await.sleep(3_000);

            long sentAtNanos = System.nanoTime();
            assertEquals(SendStatus.SEND_OK,
                    producer.send(new Message(topic, "TagA", "wake", "wake up".getBytes(StandardCharsets.UTF_8)))
                            .getSendStatus());
            Await.until("the new message before the 15 s suspend timeout", 12_000, () -> receivedAtNanos.get() != 0);
            System.out.printf("long poll: message delivered %.1f ms after the send started%n",
                    (receivedAtNanos.get() - sentAtNanos) / 1e6);
        } finally {
            Clients.shutdown(consumer, producer);
        }
    }
}

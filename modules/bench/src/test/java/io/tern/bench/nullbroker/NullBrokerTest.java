package io.tern.bench.nullbroker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.apache.rocketmq.client.consumer.DefaultLitePullConsumer;
import org.apache.rocketmq.client.producer.DefaultMQProducer;
import org.apache.rocketmq.client.producer.SendResult;
import org.apache.rocketmq.client.producer.SendStatus;
import org.apache.rocketmq.common.consumer.ConsumeFromWhere;
import org.apache.rocketmq.common.message.Message;
import org.apache.rocketmq.common.message.MessageExt;
import org.apache.rocketmq.common.message.MessageQueue;
import org.junit.jupiter.api.Test;

/**
 * The official client against the null broker: routes name it, sends are answered with increasing queue offsets,
 * and a consumer reads back the real messages near the head and full batches of the newest one below the ring.
 */
class NullBrokerTest {

    @Test
    void officialClientSendsAndReadsBack() throws Exception {
        try (NullBroker broker = NullBroker.start("127.0.0.1", 0)) {
            String addr = "127.0.0.1:" + broker.port();
            DefaultMQProducer producer = new DefaultMQProducer("null-test-producer");
            producer.setNamesrvAddr(addr);
            producer.setInstanceName("null-test-" + System.nanoTime());
            DefaultLitePullConsumer consumer = new DefaultLitePullConsumer("null-test-consumer");
            consumer.setNamesrvAddr(addr);
            consumer.setInstanceName("null-test-" + System.nanoTime());
            consumer.setConsumeFromWhere(ConsumeFromWhere.CONSUME_FROM_FIRST_OFFSET);
            try {
                producer.start();
                MessageQueue mq = new MessageQueue("nulltopic", NullBrokerHandler.BROKER_NAME, 3);
                int total = MemoryQueue.RING + 100;
                for (int i = 0; i < total; i++) {
                    SendResult r = producer.send(new Message("nulltopic", "TagA", ("m" + i).getBytes(StandardCharsets.UTF_8)), mq);
                    assertEquals(SendStatus.SEND_OK, r.getSendStatus());
                    assertEquals(i, r.getQueueOffset());
                }
                consumer.setAutoCommit(false);
                consumer.start();
                consumer.assign(List.of(mq));
                consumer.seek(mq, 0);
                List<MessageExt> read = new ArrayList<>();
                long deadline = System.currentTimeMillis() + 30_000;
                while (read.size() < total && System.currentTimeMillis() < deadline) {
                    read.addAll(consumer.poll(1000));
                }
                assertEquals(total, read.size());
                for (int i = 0; i < total; i++) {
                    assertEquals(i, read.get(i).getQueueOffset());
                    assertEquals("nulltopic", read.get(i).getTopic());
                }
                // below the ring: the newest record stands in; at the head: every message as sent
                assertEquals("m" + (total - 1), new String(read.get(0).getBody(), StandardCharsets.UTF_8));
                for (int i = total - MemoryQueue.RING; i < total; i++) {
                    assertEquals("m" + i, new String(read.get(i).getBody(), StandardCharsets.UTF_8));
                    assertEquals(Set.of("TagA"), Set.of(read.get(i).getTags()));
                }
                assertTrue(read.get(total - 1).getBornTimestamp() > 0);
            } finally {
                consumer.shutdown();
                producer.shutdown();
            }
        }
    }
}

package io.tern.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.rocketmq.client.consumer.DefaultLitePullConsumer;
import org.apache.rocketmq.client.producer.DefaultMQProducer;
import org.apache.rocketmq.client.producer.SendResult;
import org.apache.rocketmq.client.producer.SendStatus;
import org.apache.rocketmq.common.message.Message;
import org.apache.rocketmq.common.message.MessageExt;
import org.apache.rocketmq.common.message.MessageQueue;
import org.junit.jupiter.api.Test;

/** DefaultLitePullConsumer with assign + seek re-reads a queue from a chosen offset. */
class LitePullSeekTest extends EmbeddedTernTestBase {

    @Test
    void assignAndSeekRereadFromChosenOffset() throws Exception {
        String topic = Clients.unique("LitePull");
        DefaultMQProducer producer = Clients.producer(tern.namesrvAddr());
        DefaultLitePullConsumer consumer = Clients.litePullConsumer(tern.namesrvAddr(), Clients.unique("LPG"));
        consumer.setAutoCommit(false);
        try {
            producer.start();
            MessageQueue queue = null;
            for (int i = 0; i < 30; i++) {
                Message msg = new Message(topic, "TagA", "lp-" + i, ("lite " + i).getBytes(StandardCharsets.UTF_8));
                // every message into queue 0, so offsets 0..29 are exactly these messages
                SendResult result = producer.send(msg, (mqs, m, arg) -> mqs.get(0), null);
                assertEquals(SendStatus.SEND_OK, result.getSendStatus());
                assertEquals(i, result.getQueueOffset());
                queue = result.getMessageQueue();
            }

            consumer.start();
            consumer.assign(List.of(queue));
            consumer.seek(queue, 0);
            List<MessageExt> firstRead = pollUntil(consumer, 30);
            assertEquals(30, firstRead.size());
            for (int i = 0; i < 30; i++) {
                assertEquals(i, firstRead.get(i).getQueueOffset());
                assertEquals("lite " + i, new String(firstRead.get(i).getBody(), StandardCharsets.UTF_8));
            }

            consumer.seek(queue, 17);
            List<MessageExt> reread = pollUntil(consumer, 13);
            assertEquals(13, reread.size(), "re-read from offset 17 to the end");
            for (int i = 0; i < reread.size(); i++) {
                assertEquals(17 + i, reread.get(i).getQueueOffset());
                assertEquals("lp-" + (17 + i), reread.get(i).getKeys());
            }
        } finally {
            Clients.shutdown(consumer, producer);
        }
    }

    private static List<MessageExt> pollUntil(DefaultLitePullConsumer consumer, int count) {
        List<MessageExt> all = new ArrayList<>();
        long deadline = System.currentTimeMillis() + 60_000;
        while (all.size() < count && System.currentTimeMillis() < deadline) {
            all.addAll(consumer.poll(1_000));
        }
        return all;
    }
}

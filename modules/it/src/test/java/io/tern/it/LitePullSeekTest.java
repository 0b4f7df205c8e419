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
            List<MessageExt> firstRead = seekAndRead(consumer, queue, 0, 30);
            for (int i = 0; i < 30; i++) {
                assertEquals(i, firstRead.get(i).getQueueOffset());
                assertEquals("lite " + i, new String(firstRead.get(i).getBody(), StandardCharsets.UTF_8));
            }

            List<MessageExt> reread = seekAndRead(consumer, queue, 17, 13);
            for (int i = 0; i < reread.size(); i++) {
                assertEquals(17 + i, reread.get(i).getQueueOffset());
                assertEquals("lp-" + (17 + i), reread.get(i).getKeys());
            }
        } finally {
            Clients.shutdown(consumer, producer);
        }
    }

    /**
     * Seeks and polls until {@code count} messages from {@code offset} on arrived. A seek interrupts the queue's
     * in-flight pull, and the interrupted request makes the client close the connection; a new pull racing with that
     * close fails and the client then forgets the seek offset (client behaviour in 4.9.8 and 5.3.3, broker-agnostic).
     * So a read that does not start at {@code offset} is retried with a fresh seek, at most three times.
     */
    static List<MessageExt> seekAndRead(DefaultLitePullConsumer consumer, MessageQueue queue, long offset, int count)
            throws Exception {
        List<MessageExt> read = new ArrayList<>();
        for (int attempt = 1; attempt <= 3; attempt++) {
            consumer.seek(queue, offset);
            read.clear();
            long deadline = System.currentTimeMillis() + 20_000;
            while (read.size() < count && System.currentTimeMillis() < deadline) {
                read.addAll(consumer.poll(1_000));
            }
            if (read.size() >= count && read.get(0).getQueueOffset() == offset) {
                return read.subList(0, count);
            }
            System.out.println("seek to " + offset + ", attempt " + attempt + ": read " + read.size()
                    + " messages starting at " + (read.isEmpty() ? "-" : read.get(0).getQueueOffset()) + "; seeking again");
        }
        throw new AssertionError("no read from offset " + offset + " after 3 seeks; last read " + read.size());
    }
}

package io.tern.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tern.remoting.protocol.OffHeapFrames;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.rocketmq.client.consumer.DefaultMQPushConsumer;
import org.apache.rocketmq.client.producer.DefaultMQProducer;
import org.apache.rocketmq.client.producer.SendResult;
import org.apache.rocketmq.client.producer.SendStatus;
import org.apache.rocketmq.common.message.Message;
import org.apache.rocketmq.common.message.MessageExt;
import org.apache.rocketmq.common.sysflag.MessageSysFlag;
import org.junit.jupiter.api.Test;

/**
 * A batch of 64, a 4 MB body byte for byte, 1 MiB bodies sent at once (gathered off the broker's heap), and bodies
 * the client compresses.
 */
class BatchAndLargeMessageTest extends EmbeddedTernTestBase {

    @Test
    void batchOf64IsStoredAsConsecutiveMessages() throws Exception {
        String topic = Clients.unique("Batch");
        DefaultMQProducer producer = Clients.producer(tern.namesrvAddr());
        DefaultMQPushConsumer consumer = Clients.pushConsumer(tern.namesrvAddr(), Clients.unique("CG"));
        Received received = new Received();
        try {
            producer.start();
            // first message creates the topic so the batch goes to a known, existing queue set
            assertEquals(SendStatus.SEND_OK, producer.send(new Message(topic, "warm".getBytes())).getSendStatus());
            List<Message> batch = new ArrayList<>();
            for (int i = 0; i < 64; i++) {
                Message msg = new Message(topic, "TagB", "batch-" + i, ("batch body " + i).getBytes(StandardCharsets.UTF_8));
                msg.putUserProperty("index", Integer.toString(i));
                batch.add(msg);
            }
            SendResult result = producer.send(batch);
            assertEquals(SendStatus.SEND_OK, result.getSendStatus());
            String[] msgIds = result.getMsgId().split(",");
            assertEquals(64, msgIds.length, "one client id per batch message: " + result.getMsgId());
            assertEquals(64, new HashSet<>(List.of(msgIds)).size(), "distinct client ids");

            consumer.subscribe(topic, "TagB");
            consumer.registerMessageListener(received);
            consumer.start();
            Await.until("64 batch messages", 60_000, () -> received.count() >= 64, () -> "received " + received.count());
            assertEquals(Set.of(msgIds), received.byMsgId.keySet());
            long firstOffset = result.getQueueOffset();
            for (MessageExt got : received.all()) {
                int index = Integer.parseInt(got.getUserProperty("index"));
                assertEquals("batch body " + index, new String(got.getBody(), StandardCharsets.UTF_8));
                assertEquals("batch-" + index, got.getKeys());
                assertEquals(result.getMessageQueue().getQueueId(), got.getQueueId());
                assertEquals(firstOffset + index, got.getQueueOffset(), "batch messages take consecutive offsets");
            }
        } finally {
            Clients.shutdown(consumer, producer);
        }
    }

    @Test
    void fourMegabyteMessageRoundTripsByteForByte() throws Exception {
        String topic = Clients.unique("Large");
        // 4,000,000 random bytes: below the 4 MiB (4,194,304) limit of client and broker including the record
        // header; compression is off so the broker really stores the 4 MB body.
        byte[] body = new byte[4_000_000];
        new Random(42).nextBytes(body);
        DefaultMQProducer producer = Clients.producer(tern.namesrvAddr());
        producer.setCompressMsgBodyOverHowmuch(Integer.MAX_VALUE);
        DefaultMQPushConsumer consumer = Clients.pushConsumer(tern.namesrvAddr(), Clients.unique("CG"));
        Received received = new Received();
        try {
            producer.start();
            SendResult result = producer.send(new Message(topic, "Big", "big-1", body));
            assertEquals(SendStatus.SEND_OK, result.getSendStatus());
            consumer.subscribe(topic, "*");
            consumer.registerMessageListener(received);
            consumer.start();
            Await.until("the 4 MB message", 60_000, () -> received.count() >= 1);
            MessageExt got = received.byMsgId.get(result.getMsgId());
            assertEquals(0, got.getSysFlag() & MessageSysFlag.COMPRESSED_FLAG, "stored uncompressed");
            assertArrayEquals(body, got.getBody());
        } finally {
            Clients.shutdown(consumer, producer);
        }
    }

    /**
     * The broker gathers these frames off its heap (OffHeapFrames). While they are in flight, collections run and
     * direct memory is handed out and filled again: a frame freed before the store writer copied its body would
     * show as a stored body that differs. Afterwards no frame may stay counted once nothing refers to it.
     */
    @Test
    void oneMebibyteMessagesSentAtOnceRoundTripByteForByteAndTheirFramesAreReturned() throws Exception {
        String topic = Clients.unique("LargeMany");
        OffHeapFrames frames = OffHeapFrames.servers();
        long framesBefore = frames.framesAllocated();
        DefaultMQProducer producer = Clients.producer(tern.namesrvAddr());
        producer.setCompressMsgBodyOverHowmuch(Integer.MAX_VALUE);
        DefaultMQPushConsumer consumer = Clients.pushConsumer(tern.namesrvAddr(), Clients.unique("CG"));
        Received received = new Received();
        int senders = 8;
        int perSender = 6;
        Map<String, byte[]> sent = new ConcurrentHashMap<>();
        AtomicBoolean sending = new AtomicBoolean(true);
        Thread churn = new Thread(() -> {
            while (sending.get()) {
                System.gc();
                ByteBuffer reused = ByteBuffer.allocateDirect(1 << 20);
                while (reused.hasRemaining()) {
                    reused.put((byte) 0x55);
                }
            }
        }, "direct-memory-churn");
        ExecutorService pool = Executors.newFixedThreadPool(senders);
        try {
            producer.start();
            assertEquals(SendStatus.SEND_OK, producer.send(new Message(topic, "warm".getBytes())).getSendStatus());
            churn.start();
            List<Future<?>> sends = new ArrayList<>();
            for (int t = 0; t < senders; t++) {
                int sender = t;
                sends.add(pool.submit(() -> {
                    for (int i = 0; i < perSender; i++) {
                        byte[] body = new byte[1 << 20];
                        new Random(sender * 1000L + i).nextBytes(body);
                        SendResult result = producer.send(new Message(topic, "Big", body));
                        assertEquals(SendStatus.SEND_OK, result.getSendStatus());
                        sent.put(result.getMsgId(), body);
                    }
                    return null;
                }));
            }
            for (Future<?> f : sends) {
                f.get(120, TimeUnit.SECONDS);
            }
            sending.set(false);
            churn.join();
            assertTrue(frames.framesAllocated() > framesBefore, "no 1 MiB send was gathered off the heap");

            consumer.subscribe(topic, "Big");
            consumer.registerMessageListener(received);
            consumer.start();
            int expected = senders * perSender;
            Await.until(expected + " large messages", 60_000, () -> received.count() >= expected,
                    () -> "received " + received.count());
            assertEquals(sent.keySet(), received.byMsgId.keySet());
            for (Map.Entry<String, byte[]> e : sent.entrySet()) {
                assertArrayEquals(e.getValue(), received.byMsgId.get(e.getKey()).getBody(), "body of " + e.getKey());
            }
        } finally {
            sending.set(false);
            pool.shutdownNow();
            Clients.shutdown(consumer, producer);
        }
        received.clear();
        sent.clear();
        for (int i = 0; i < 300 && frames.outstandingBytes() > 0; i++) {
            System.gc();
            Thread.sleep(10);
        }
        assertEquals(0, frames.outstandingBytes(), "off-heap frames still counted after every send completed");
    }

    @Test
    void compressedBodiesRoundTrip() throws Exception {
        String topic = Clients.unique("Compressed");
        DefaultMQProducer producer = Clients.producer(tern.namesrvAddr());
        DefaultMQPushConsumer consumer = Clients.pushConsumer(tern.namesrvAddr(), Clients.unique("CG"));
        Received received = new Received();
        List<byte[]> bodies = new ArrayList<>();
        List<String> msgIds = new ArrayList<>();
        try {
            producer.start();
            Random random = new Random(7);
            // sizes around and far above compressMsgBodyOverHowmuch (4096): the client zips these
            for (int size : new int[] {4097, 5000, 64 * 1024, 1024 * 1024}) {
                StringBuilder text = new StringBuilder(size);
                while (text.length() < size) {
                    text.append("compressible line ").append(random.nextInt(100)).append('\n');
                }
                byte[] body = text.substring(0, size).getBytes(StandardCharsets.UTF_8);
                SendResult result = producer.send(new Message(topic, "Zip", "zip-" + size, body));
                assertEquals(SendStatus.SEND_OK, result.getSendStatus());
                bodies.add(body);
                msgIds.add(result.getMsgId());
            }
            consumer.subscribe(topic, "*");
            consumer.registerMessageListener(received);
            consumer.start();
            Await.until("4 compressed messages", 60_000, () -> received.count() >= 4, () -> "received " + received.count());
            for (int i = 0; i < bodies.size(); i++) {
                MessageExt got = received.byMsgId.get(msgIds.get(i));
                assertNotEquals(0, got.getSysFlag() & MessageSysFlag.COMPRESSED_FLAG,
                        "message of " + bodies.get(i).length + " bytes travelled compressed");
                assertArrayEquals(bodies.get(i), got.getBody(), "body of " + bodies.get(i).length + " bytes");
            }
            assertTrue(received.duplicates.isEmpty());
        } finally {
            Clients.shutdown(consumer, producer);
        }
    }
}

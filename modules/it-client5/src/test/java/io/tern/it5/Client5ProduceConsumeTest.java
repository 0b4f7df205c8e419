package io.tern.it5;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
import org.apache.rocketmq.client.consumer.DefaultLitePullConsumer;
import org.apache.rocketmq.client.consumer.DefaultMQPushConsumer;
import org.apache.rocketmq.client.consumer.listener.ConsumeConcurrentlyStatus;
import org.apache.rocketmq.client.consumer.listener.MessageListenerConcurrently;
import org.apache.rocketmq.client.producer.DefaultMQProducer;
import org.apache.rocketmq.client.producer.SendResult;
import org.apache.rocketmq.client.producer.SendStatus;
import org.apache.rocketmq.common.consumer.ConsumeFromWhere;
import org.apache.rocketmq.common.message.Message;
import org.apache.rocketmq.common.message.MessageExt;
import org.apache.rocketmq.common.message.MessageQueue;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The 5.x remoting client (rocketmq-client 5.3.3) produces (single, batch, compressed) and consumes (push, lite pull). */
class Client5ProduceConsumeTest {
    private static final AtomicInteger SEQUENCE = new AtomicInteger();

    @TempDir
    static Path storeRoot;
    static EmbeddedTern tern;

    @BeforeAll
    static void start() {
        tern = EmbeddedTern.start(new EmbeddedTernOptions(storeRoot));
    }

    @AfterAll
    static void stop() {
        if (tern != null) {
            tern.close();
        }
    }

    static String unique(String prefix) {
        return prefix + "_" + ProcessHandle.current().pid() + "_" + SEQUENCE.incrementAndGet();
    }

    @Test
    void producesAndPushConsumes() throws Exception {
        String topic = unique("C5");
        DefaultMQProducer producer = new DefaultMQProducer(unique("PG"));
        producer.setNamesrvAddr(tern.namesrvAddr());
        producer.setInstanceName(unique("p"));
        DefaultMQPushConsumer consumer = new DefaultMQPushConsumer(unique("CG"));
        consumer.setNamesrvAddr(tern.namesrvAddr());
        consumer.setInstanceName(unique("c"));
        consumer.setConsumeFromWhere(ConsumeFromWhere.CONSUME_FROM_FIRST_OFFSET);
        Map<String, MessageExt> byKey = new ConcurrentHashMap<>();
        try {
            producer.start();
            List<String> keys = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                Message msg = new Message(topic, "TagA", "single-" + i, ("five " + i).getBytes(StandardCharsets.UTF_8));
                msg.putUserProperty("index", Integer.toString(i));
                SendResult result = producer.send(msg);
                assertEquals(SendStatus.SEND_OK, result.getSendStatus());
                keys.add("single-" + i);
            }
            List<Message> batch = new ArrayList<>();
            for (int i = 0; i < 16; i++) {
                batch.add(new Message(topic, "TagA", "batch-" + i, ("batch " + i).getBytes(StandardCharsets.UTF_8)));
                keys.add("batch-" + i);
            }
            assertEquals(SendStatus.SEND_OK, producer.send(batch).getSendStatus());
            byte[] big = "compress me ".repeat(2_000).getBytes(StandardCharsets.UTF_8);
            assertEquals(SendStatus.SEND_OK, producer.send(new Message(topic, "TagA", "big", big)).getSendStatus());
            keys.add("big");

            consumer.subscribe(topic, "*");
            consumer.registerMessageListener((MessageListenerConcurrently) (msgs, ctx) -> {
                msgs.forEach(m -> byKey.put(m.getKeys(), m));
                return ConsumeConcurrentlyStatus.CONSUME_SUCCESS;
            });
            consumer.start();
            long deadline = System.currentTimeMillis() + 60_000;
            while (!byKey.keySet().containsAll(keys) && System.currentTimeMillis() < deadline) {
                Thread.sleep(50);
            }
            assertTrue(byKey.keySet().containsAll(keys), "received " + byKey.size() + " of " + keys.size());
            assertEquals("five 7", new String(byKey.get("single-7").getBody(), StandardCharsets.UTF_8));
            assertEquals("7", byKey.get("single-7").getUserProperty("index"));
            assertEquals("batch 3", new String(byKey.get("batch-3").getBody(), StandardCharsets.UTF_8));
            assertEquals(new String(big, StandardCharsets.UTF_8),
                    new String(byKey.get("big").getBody(), StandardCharsets.UTF_8));
        } finally {
            consumer.shutdown();
            producer.shutdown();
        }
    }

    /** Async sends, a tag subscription and a consume failure that comes back through the retry topic. */
    @Test
    void asyncSendTagFilterAndRetry() throws Exception {
        String topic = unique("C5Async");
        DefaultMQProducer producer = new DefaultMQProducer(unique("PG"));
        producer.setNamesrvAddr(tern.namesrvAddr());
        producer.setInstanceName(unique("p"));
        DefaultMQPushConsumer consumer = new DefaultMQPushConsumer(unique("CG"));
        consumer.setNamesrvAddr(tern.namesrvAddr());
        consumer.setInstanceName(unique("c"));
        consumer.setConsumeFromWhere(ConsumeFromWhere.CONSUME_FROM_FIRST_OFFSET);
        Map<String, List<Integer>> attemptsByKey = new ConcurrentHashMap<>();
        try {
            producer.start();
            java.util.concurrent.CountDownLatch sent = new java.util.concurrent.CountDownLatch(20);
            List<Throwable> failures = new java.util.concurrent.CopyOnWriteArrayList<>();
            for (int i = 0; i < 20; i++) {
                String tag = i % 2 == 0 ? "Even" : "Odd";
                producer.send(new Message(topic, tag, tag + "-" + i, ("async " + i).getBytes(StandardCharsets.UTF_8)),
                        new org.apache.rocketmq.client.producer.SendCallback() {
                            @Override
                            public void onSuccess(SendResult result) {
                                sent.countDown();
                            }

                            @Override
                            public void onException(Throwable e) {
                                failures.add(e);
                                sent.countDown();
                            }
                        });
            }
            assertTrue(sent.await(30, java.util.concurrent.TimeUnit.SECONDS));
            assertTrue(failures.isEmpty(), "async failures " + failures);

            consumer.subscribe(topic, "Even");
            consumer.registerMessageListener((MessageListenerConcurrently) (msgs, ctx) -> {
                for (MessageExt m : msgs) {
                    attemptsByKey.computeIfAbsent(m.getKeys(), k -> new java.util.concurrent.CopyOnWriteArrayList<>())
                            .add(m.getReconsumeTimes());
                }
                boolean failFirstTry = msgs.stream().anyMatch(m -> m.getKeys().equals("Even-4") && m.getReconsumeTimes() == 0);
                return failFirstTry ? ConsumeConcurrentlyStatus.RECONSUME_LATER : ConsumeConcurrentlyStatus.CONSUME_SUCCESS;
            });
            consumer.setConsumeMessageBatchMaxSize(1);
            consumer.start();
            long deadline = System.currentTimeMillis() + 60_000;
            while ((attemptsByKey.size() < 10 || attemptsByKey.getOrDefault("Even-4", List.of()).size() < 2)
                    && System.currentTimeMillis() < deadline) {
                Thread.sleep(50);
            }
            assertEquals(10, attemptsByKey.size(), "only the Even messages: " + attemptsByKey.keySet());
            assertTrue(attemptsByKey.keySet().stream().allMatch(k -> k.startsWith("Even-")), attemptsByKey.keySet().toString());
            assertEquals(List.of(0, 1), attemptsByKey.get("Even-4"), "failed once, redelivered through %RETRY%");
        } finally {
            consumer.shutdown();
            producer.shutdown();
        }
    }

    /** The 5.x lite pull consumer sends LITE_PULL_MESSAGE (361) instead of PULL_MESSAGE. */
    @Test
    void litePullConsumerReadsAssignedQueue() throws Exception {
        String topic = unique("C5Lite");
        DefaultMQProducer producer = new DefaultMQProducer(unique("PG"));
        producer.setNamesrvAddr(tern.namesrvAddr());
        producer.setInstanceName(unique("p"));
        DefaultLitePullConsumer consumer = new DefaultLitePullConsumer(unique("LPG"));
        consumer.setNamesrvAddr(tern.namesrvAddr());
        consumer.setInstanceName(unique("l"));
        consumer.setAutoCommit(false);
        try {
            producer.start();
            MessageQueue queue = null;
            for (int i = 0; i < 10; i++) {
                SendResult result = producer.send(new Message(topic, "TagA", "lp-" + i,
                        ("lite " + i).getBytes(StandardCharsets.UTF_8)), (mqs, m, arg) -> mqs.get(0), null);
                assertEquals(SendStatus.SEND_OK, result.getSendStatus());
                queue = result.getMessageQueue();
            }
            consumer.start();
            consumer.assign(List.of(queue));
            List<MessageExt> got = seekAndRead(consumer, queue, 4, 6);
            for (int i = 0; i < got.size(); i++) {
                assertEquals(4 + i, got.get(i).getQueueOffset());
                assertEquals("lp-" + (4 + i), got.get(i).getKeys());
            }
        } finally {
            consumer.shutdown();
            producer.shutdown();
        }
    }

    /**
     * Seeks and polls until {@code count} messages from {@code offset} on arrived, re-seeking at most three times: a
     * seek interrupts the queue's in-flight pull, the client then closes the connection, and a new pull racing with
     * that close fails and loses the seek offset (client behaviour, whatever the broker).
     */
    private static List<MessageExt> seekAndRead(DefaultLitePullConsumer consumer, MessageQueue queue, long offset,
            int count) throws Exception {
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
            System.out.println("seek to " + offset + ", attempt " + attempt + ": read " + read.size() + "; seeking again");
        }
        throw new AssertionError("no read from offset " + offset + " after 3 seeks; last read " + read.size());
    }
}

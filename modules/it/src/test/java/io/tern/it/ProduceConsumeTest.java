package io.tern.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.rocketmq.client.consumer.DefaultMQPushConsumer;
import org.apache.rocketmq.client.producer.DefaultMQProducer;
import org.apache.rocketmq.client.producer.SendCallback;
import org.apache.rocketmq.client.producer.SendResult;
import org.apache.rocketmq.client.producer.SendStatus;
import org.apache.rocketmq.common.message.Message;
import org.apache.rocketmq.common.message.MessageClientExt;
import org.apache.rocketmq.common.message.MessageDecoder;
import org.apache.rocketmq.common.message.MessageExt;
import org.apache.rocketmq.common.message.MessageId;
import org.junit.jupiter.api.Test;

/** Sync, async and oneway sends, and 1,000 messages consumed by a push consumer exactly as they were sent. */
class ProduceConsumeTest extends EmbeddedTernTestBase {

    @Test
    void syncAsyncAndOnewaySendsAreAllConsumed() throws Exception {
        String topic = Clients.unique("SendModes");
        DefaultMQProducer producer = Clients.producer(tern.namesrvAddr());
        DefaultMQPushConsumer consumer = null;
        try {
            producer.start();
            Set<String> expectedKeys = new HashSet<>();
            for (int i = 0; i < 20; i++) {
                SendResult result = producer.send(message(topic, "sync-" + i));
                assertEquals(SendStatus.SEND_OK, result.getSendStatus());
                assertNotNull(result.getMsgId());
                assertNotNull(result.getOffsetMsgId());
                expectedKeys.add("sync-" + i);
            }
            CountDownLatch asyncDone = new CountDownLatch(20);
            List<Throwable> asyncFailures = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                producer.send(message(topic, "async-" + i), new SendCallback() {
                    @Override
                    public void onSuccess(SendResult sendResult) {
                        if (sendResult.getSendStatus() != SendStatus.SEND_OK) {
                            asyncFailures.add(new AssertionError("status " + sendResult.getSendStatus()));
                        }
                        asyncDone.countDown();
                    }

                    @Override
                    public void onException(Throwable e) {
                        asyncFailures.add(e);
                        asyncDone.countDown();
                    }
                });
                expectedKeys.add("async-" + i);
            }
            assertTrue(asyncDone.await(30, TimeUnit.SECONDS), "async sends completed");
            assertTrue(asyncFailures.isEmpty(), "async send failures: " + asyncFailures);
            for (int i = 0; i < 20; i++) {
                producer.sendOneway(message(topic, "oneway-" + i));
                expectedKeys.add("oneway-" + i);
            }

            Map<String, MessageExt> byKey = new ConcurrentHashMap<>();
            consumer = Clients.pushConsumer(tern.namesrvAddr(), Clients.unique("CG"));
            consumer.subscribe(topic, "*");
            consumer.registerMessageListener((org.apache.rocketmq.client.consumer.listener.MessageListenerConcurrently)
                    (msgs, ctx) -> {
                        msgs.forEach(m -> byKey.put(m.getKeys(), m));
                        return org.apache.rocketmq.client.consumer.listener.ConsumeConcurrentlyStatus.CONSUME_SUCCESS;
                    });
            consumer.start();
            Await.until("all 60 messages", 60_000, () -> byKey.keySet().containsAll(expectedKeys),
                    () -> "received " + byKey.size());
            assertEquals(expectedKeys, byKey.keySet());
            for (MessageExt m : byKey.values()) {
                assertEquals("body of " + m.getKeys(), new String(m.getBody(), StandardCharsets.UTF_8));
            }
        } finally {
            Clients.shutdown(consumer, producer);
        }
    }

    private static Message message(String topic, String key) {
        return new Message(topic, "TagA", key, ("body of " + key).getBytes(StandardCharsets.UTF_8));
    }

    /** What the producer knew about one sent message. */
    private record Sent(Message message, SendResult result, long sendStartMs, long sendEndMs) {
    }

    @Test
    void thousandMessagesOverFourQueuesArriveExactlyAsSent() throws Exception {
        String topic = Clients.unique("Exact");
        int count = 1000;
        DefaultMQProducer producer = Clients.producer(tern.namesrvAddr());
        producer.setDefaultTopicQueueNums(4);
        DefaultMQPushConsumer consumer = null;
        Map<String, Sent> sentByMsgId = new TreeMap<>();
        try {
            producer.start();
            for (int i = 0; i < count; i++) {
                Message msg = new Message(topic, "Tag" + (i % 3), "key-" + i + " other-" + i,
                        ("message " + i + " " + "x".repeat(i % 200)).getBytes(StandardCharsets.UTF_8));
                msg.putUserProperty("index", Integer.toString(i));
                msg.putUserProperty("greeting", "hello world " + i);
                long start = System.currentTimeMillis();
                SendResult result = producer.send(msg);
                long end = System.currentTimeMillis();
                assertEquals(SendStatus.SEND_OK, result.getSendStatus(), "send " + i);
                sentByMsgId.put(result.getMsgId(), new Sent(msg, result, start, end));
            }
            Map<Integer, List<Long>> offsetsByQueue = new TreeMap<>();
            for (Sent sent : sentByMsgId.values()) {
                offsetsByQueue.computeIfAbsent(sent.result.getMessageQueue().getQueueId(), q -> new ArrayList<>())
                        .add(sent.result.getQueueOffset());
            }
            assertEquals(Set.of(0, 1, 2, 3), offsetsByQueue.keySet(), "messages spread over 4 queues");
            offsetsByQueue.forEach((queueId, offsets) -> {
                offsets.sort(null);
                for (int i = 0; i < offsets.size(); i++) {
                    assertEquals(i, offsets.get(i), "queue " + queueId + " offsets are contiguous from 0");
                }
            });

            Received received = new Received();
            consumer = Clients.pushConsumer(tern.namesrvAddr(), Clients.unique("CG"));
            consumer.subscribe(topic, "*");
            consumer.registerMessageListener(received);
            consumer.start();
            Await.until(count + " messages", 120_000, () -> received.count() >= count,
                    () -> "received " + received.count());
            assertEquals(sentByMsgId.keySet(), received.byMsgId.keySet());
            assertTrue(received.duplicates.isEmpty(), "duplicates " + received.duplicates);

            String brokerAddr = tern.brokerAddr();
            for (MessageExt got : received.all()) {
                Sent sent = sentByMsgId.get(got.getMsgId());
                Message msg = sent.message;
                String what = "message " + msg.getUserProperty("index");
                assertEquals(topic, got.getTopic(), what);
                assertEquals(new String(msg.getBody(), StandardCharsets.UTF_8),
                        new String(got.getBody(), StandardCharsets.UTF_8), what);
                assertEquals(msg.getTags(), got.getTags(), what);
                assertEquals(msg.getKeys(), got.getKeys(), what);
                assertEquals(msg.getUserProperty("index"), got.getUserProperty("index"), what);
                assertEquals(msg.getUserProperty("greeting"), got.getUserProperty("greeting"), what);
                assertTrue(got instanceof MessageClientExt, what + " decoded as a client message");
                String offsetMsgId = ((MessageClientExt) got).getOffsetMsgId();
                assertEquals(sent.result.getOffsetMsgId(), offsetMsgId, what);
                assertEquals(sent.result.getMessageQueue().getQueueId(), got.getQueueId(), what);
                assertEquals(sent.result.getQueueOffset(), got.getQueueOffset(), what);
                assertTrue(got.getBornTimestamp() >= sent.sendStartMs && got.getBornTimestamp() <= sent.sendEndMs,
                        what + " born " + got.getBornTimestamp() + " within its send call");
                assertTrue(got.getStoreTimestamp() >= got.getBornTimestamp()
                                && got.getStoreTimestamp() <= sent.sendEndMs,
                        what + " stored " + got.getStoreTimestamp() + " between born and send return");
                MessageId offsetId = MessageDecoder.decodeMessageId(offsetMsgId);
                InetSocketAddress offsetIdHost = (InetSocketAddress) offsetId.getAddress();
                assertEquals(got.getCommitLogOffset(), offsetId.getOffset(), what + " offset id holds the commit-log offset");
                assertEquals(brokerAddr, offsetIdHost.getAddress().getHostAddress() + ":" + offsetIdHost.getPort(), what + " offset id holds the store host");
                assertEquals(brokerAddr, got.getStoreHost().toString().replaceFirst("^.*/", ""), what + " store host");
                assertEquals(0, got.getReconsumeTimes(), what);
            }
        } finally {
            Clients.shutdown(consumer, producer);
        }
    }
}

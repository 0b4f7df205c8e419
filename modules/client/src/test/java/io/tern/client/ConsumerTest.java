package io.tern.client;

import static io.tern.client.TernTestSupport.await;
import static io.tern.client.TernTestSupport.createTopic;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tern.client.TernConsumerOptions.ConsumeFromWhere;
import io.vertx.core.buffer.Buffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Producer → broker → consumer through one embedded nameserver + broker; each test uses its own topic and group. */
class ConsumerTest extends EmbeddedTernTest {
    TernConsumerOptions fromFirst() {
        return new TernConsumerOptions().setConsumeFromWhere(ConsumeFromWhere.CONSUME_FROM_FIRST_OFFSET);
    }

    TernConsumer consumer(TernClient client, String tags, TernConsumerOptions options, Received received) {
        TernConsumer consumer = client.createConsumer(group, options).subscribe(topic, tags).handler(received);
        await(consumer.start());
        return consumer;
    }

    @Test
    void roundTripKeepsEveryField() {
        createTopic(tern.vertx(), tern, topic, 4);
        Received received = new Received();
        consumer(client(), "*", fromFirst(), received);
        TernProducer producer = client().createProducer("PG");
        long before = System.currentTimeMillis();
        SendResult sent = await(producer.send(TernMessage.of(topic, "hello").setTags("TagA").setKeys("k1", "k2")
                .putProperty("color", "blue").setFlag(7)));

        TernMessage m = received.awaitAtLeast(1).get(0);
        assertEquals(topic, m.topic());
        assertEquals("TagA", m.tags());
        assertEquals(List.of("k1", "k2"), m.keys());
        assertEquals("blue", m.property("color"));
        assertEquals("hello", m.body().toString());
        assertEquals(7, m.flag());
        assertEquals(sent.msgId(), m.msgId());
        assertEquals(sent.offsetMsgId(), m.offsetMsgId());
        assertEquals(sent.queue().queueId, m.queueId());
        assertEquals(sent.queueOffset(), m.queueOffset());
        assertEquals(tern.brokerName(), m.receipt().brokerName());
        assertTrue(m.bornTimestamp() >= before);
        assertTrue(m.storeTimestamp() >= m.bornTimestamp());
        assertEquals(0, m.reconsumeTimes());
        assertTrue(!received.sawOffEventLoop(), "handlers run on the client's event loop");
    }

    @Test
    void thousandMessagesOverFourQueuesArriveExactlyOnce() {
        createTopic(tern.vertx(), tern, topic, 4);
        Received received = new Received();
        TernConsumer consumer = consumer(client(), "*", fromFirst(), received);
        assertEquals(4, consumer.assignment().stream().filter(q -> q.topic.equals(topic)).count());
        TernProducer producer = client().createProducer("PG");
        List<io.vertx.core.Future<SendResult>> sends = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            sends.add(producer.send(TernMessage.of(topic, "m" + i)));
        }
        Set<Integer> queues = new HashSet<>();
        sends.forEach(f -> queues.add(await(f).queue().queueId));
        assertEquals(4, queues.size());

        received.awaitAtLeast(1000);
        TernTestSupport.sleep(300);
        List<TernMessage> all = received.snapshot();
        assertEquals(1000, all.size(), "no duplicates");
        Set<String> bodies = new HashSet<>();
        all.forEach(m -> bodies.add(m.body().toString()));
        assertEquals(1000, bodies.size());
    }

    @Test
    void tagExpressionFiltersMessages() {
        createTopic(tern.vertx(), tern, topic, 2);
        Received received = new Received();
        consumer(client(), "TagA || TagC", fromFirst(), received);
        TernProducer producer = client().createProducer("PG");
        for (String tag : new String[] {"TagA", "TagB", "TagC", null, "TagA"}) {
            TernMessage m = TernMessage.of(topic, "body-" + tag);
            if (tag != null) {
                m.setTags(tag);
            }
            await(producer.send(m));
        }
        received.awaitAtLeast(3);
        TernTestSupport.sleep(500);
        List<String> tags = received.snapshot().stream().map(TernMessage::tags).sorted().toList();
        assertEquals(List.of("TagA", "TagA", "TagC"), tags);
    }

    @Test
    void batchMessagesArriveWithTheirOwnIds() {
        createTopic(tern.vertx(), tern, topic, 1);
        Received received = new Received();
        consumer(client(), "*", fromFirst(), received);
        TernProducer producer = client().createProducer("PG");
        SendResult r = await(producer.sendBatch(List.of(TernMessage.of(topic, "b0").setTags("X"),
                TernMessage.of(topic, "b1").setKeys("key1"), TernMessage.of(topic, "b2"))));
        List<TernMessage> got = received.awaitAtLeast(3);
        assertEquals(List.of("b0", "b1", "b2"), got.stream().map(m -> m.body().toString()).toList());
        assertEquals(List.of(r.msgId().split(",")), got.stream().map(TernMessage::msgId).toList());
        assertEquals("X", got.get(0).tags());
        assertEquals(List.of("key1"), got.get(1).keys());
    }

    @Test
    void largeBodiesAreCompressedAndInflatedOnReceipt() {
        createTopic(tern.vertx(), tern, topic, 1);
        Received received = new Received();
        consumer(client(), "*", fromFirst(), received);
        byte[] body = new byte[100 * 1024];
        Random random = new Random(42);
        for (int i = 0; i < body.length; i++) {
            body[i] = (byte) ('a' + random.nextInt(4));
        }
        await(client().createProducer("PG").send(TernMessage.of(topic, Buffer.buffer(body))));
        TernMessage m = received.awaitAtLeast(1).get(0);
        assertEquals(0x301, m.receipt().sysFlag() & 0x701, "stored zlib-compressed like a 4.9.4+ client");
        assertEquals(Buffer.buffer(body), m.body());
    }

    @Test
    void messagesOfOneKeyArriveInSendOrder() {
        createTopic(tern.vertx(), tern, topic, 4);
        Received received = new Received();
        consumer(client(), "*", fromFirst().setOrderly(true), received);
        TernProducer producer = client().createProducer("PG");
        for (int i = 0; i < 200; i++) {
            String key = "order-" + (i % 5);
            // one send after the other, as ordered producers do: the send order is the store order
            await(producer.send(TernMessage.of(topic, key + ":" + i), key));
        }
        List<TernMessage> got = received.awaitAtLeast(200);
        Map<String, Integer> last = new HashMap<>();
        for (TernMessage m : got) {
            String[] parts = m.body().toString().split(":");
            int seq = Integer.parseInt(parts[1]);
            Integer previous = last.put(parts[0], seq);
            assertTrue(previous == null || previous < seq, "key " + parts[0] + ": " + seq + " after " + previous);
        }
        assertEquals(5, last.size());
    }

    @Test
    void pausedConsumerReceivesNothingUntilResumed() {
        createTopic(tern.vertx(), tern, topic, 2);
        Received received = new Received();
        TernConsumer consumer = consumer(client(), "*", fromFirst(), received);
        consumer.pause();
        TernProducer producer = client().createProducer("PG");
        for (int i = 0; i < 10; i++) {
            await(producer.send(TernMessage.of(topic, "p" + i)));
        }
        TernTestSupport.sleep(1500);
        assertEquals(0, received.count(), "nothing is handed over while paused");
        consumer.resume();
        received.awaitAtLeast(10);
    }

    @Test
    void delayedMessagesArriveUnderTheirTopicAfterTheDelay() {
        createTopic(tern.vertx(), tern, topic, 1);
        Received received = new Received();
        consumer(client(), "*", fromFirst(), received);
        SendResult sent = await(client().createProducer("PG").send(TernMessage.of(topic, "later").setDelayLevel(1)));
        TernMessage m = received.awaitAtLeast(1).get(0);
        assertEquals(topic, m.topic());
        assertEquals("later", m.body().toString());
        assertEquals(sent.msgId(), m.msgId());
        assertTrue(m.storeTimestamp() - m.bornTimestamp() >= 900, "held for level 1 (1 s)");
    }

    @Test
    void failedHandlerFutureLeadsToRedelivery() {
        createTopic(tern.vertx(), tern, topic, 1);
        List<TernMessage> attempts = new ArrayList<>();
        TernConsumerOptions options = fromFirst().setRetryDelayLevel(1).setRebalanceIntervalMs(1000);
        TernConsumer consumer = client().createConsumer(group, options).subscribe(topic, "*").handler(m -> {
            synchronized (attempts) {
                attempts.add(m);
                return attempts.size() == 1 ? io.vertx.core.Future.failedFuture("boom")
                        : io.vertx.core.Future.succeededFuture();
            }
        });
        await(consumer.start());
        SendResult sent = await(client().createProducer("PG").send(TernMessage.of(topic, "retry me").setTags("R")));
        TernTestSupport.awaitTrue("a redelivery", () -> {
            synchronized (attempts) {
                return attempts.size() >= 2;
            }
        });
        TernMessage retried;
        synchronized (attempts) {
            retried = attempts.get(1);
        }
        assertEquals(topic, retried.topic(), "shown under the original topic");
        assertEquals("retry me", retried.body().toString());
        assertEquals("R", retried.tags());
        assertEquals(sent.msgId(), retried.msgId());
        assertEquals(1, retried.reconsumeTimes());
    }
}

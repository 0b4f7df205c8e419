package io.tern.client;

import static io.tern.client.TernTestSupport.await;
import static io.tern.client.TernTestSupport.awaitTrue;
import static io.tern.client.TernTestSupport.createTopic;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tern.client.TernConsumerOptions.ConsumeFromWhere;
import io.tern.client.TernConsumerOptions.MessageModel;
import io.vertx.core.Promise;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Several consumers of one group, broadcasting and back-pressure, against one embedded nameserver + broker. */
class ConsumerGroupTest extends EmbeddedTernTest {
    TernConsumer start(TernClient client, TernConsumerOptions options, Received received) {
        TernConsumer consumer = client.createConsumer(group, options).subscribe(topic, "*").handler(received);
        await(consumer.start());
        return consumer;
    }

    long queuesOf(TernConsumer consumer) {
        return consumer.assignment().stream().filter(q -> q.topic.equals(topic)).count();
    }

    static Set<String> bodies(List<TernMessage> messages) {
        Set<String> out = new HashSet<>();
        messages.forEach(m -> out.add(m.body().toString()));
        return out;
    }

    void send(TernProducer producer, String prefix, int count) {
        for (int i = 0; i < count; i++) {
            await(producer.send(TernMessage.of(topic, prefix + i)));
        }
    }

    @Test
    void twoConsumersSplitTheQueuesAndOneTakesOverWhenTheOtherCloses() {
        createTopic(tern.vertx(), tern, topic, 4);
        TernConsumerOptions options = new TernConsumerOptions()
                .setConsumeFromWhere(ConsumeFromWhere.CONSUME_FROM_FIRST_OFFSET);
        Received receivedA = new Received();
        Received receivedB = new Received();
        TernConsumer a = start(client(), options, receivedA);
        assertEquals(4, queuesOf(a));
        TernClient clientB = client();
        TernConsumer b = start(clientB, options, receivedB);
        awaitTrue("a 2/2 split", () -> queuesOf(a) == 2 && queuesOf(b) == 2);
        Set<io.tern.common.protocol.MessageQueue> overlap = new HashSet<>(a.assignment());
        overlap.retainAll(b.assignment());
        assertTrue(overlap.isEmpty(), "no queue owned twice: " + overlap);

        TernProducer producer = client().createProducer("PG");
        send(producer, "first-", 100);
        awaitTrue("all of the first round", () -> {
            Set<String> all = bodies(receivedA.snapshot());
            all.addAll(bodies(receivedB.snapshot()));
            return all.size() == 100;
        });
        assertTrue(receivedA.count() > 0 && receivedB.count() > 0, "both members consumed");

        await(clientB.close());
        clients.remove(clientB);
        awaitTrue("a takes over every queue", () -> queuesOf(a) == 4);
        send(producer, "second-", 100);
        awaitTrue("the second round at a", () -> bodies(receivedA.snapshot()).stream()
                .filter(s -> s.startsWith("second-")).count() == 100);
    }

    @Test
    void broadcastingDeliversEveryMessageToEveryMember() {
        createTopic(tern.vertx(), tern, topic, 2);
        TernConsumerOptions options = new TernConsumerOptions().setMessageModel(MessageModel.BROADCASTING)
                .setConsumeFromWhere(ConsumeFromWhere.CONSUME_FROM_FIRST_OFFSET);
        Received receivedA = new Received();
        Received receivedB = new Received();
        TernConsumer a = start(client(), options, receivedA);
        TernConsumer b = start(client(), options, receivedB);
        assertEquals(2, a.assignment().size(), "all queues, and no %RETRY% subscription");
        assertEquals(2, b.assignment().size());
        send(client().createProducer("PG"), "b-", 20);
        assertEquals(20, bodies(receivedA.awaitAtLeast(20)).size());
        assertEquals(20, bodies(receivedB.awaitAtLeast(20)).size());
    }

    @Test
    void unacknowledgedMessagesStopThePulling() {
        createTopic(tern.vertx(), tern, topic, 1);
        TernConsumerOptions options = new TernConsumerOptions()
                .setConsumeFromWhere(ConsumeFromWhere.CONSUME_FROM_FIRST_OFFSET)
                .setPullBatchSize(4)
                .setMaxInFlightPerQueue(5);
        List<Promise<Void>> open = new ArrayList<>();
        AtomicInteger handed = new AtomicInteger();
        TernClient client = client();
        TernConsumer consumer = client.createConsumer(group, options).subscribe(topic, "*").handler(m -> {
            handed.incrementAndGet();
            Promise<Void> p = Promise.promise();
            synchronized (open) {
                open.add(p);
            }
            return p.future();
        });
        await(consumer.start());
        send(client().createProducer("PG"), "bp-", 30);
        awaitTrue("the first pulls", () -> handed.get() >= 5);
        TernTestSupport.sleep(1000);
        // a pull is only issued below 5 in flight, and brings at most 4
        assertTrue(handed.get() <= 8, "handed " + handed.get() + " while none was acknowledged");

        awaitTrue("everything, acknowledging as it comes", () -> {
            synchronized (open) {
                open.forEach(p -> p.tryComplete());
            }
            return handed.get() >= 30;
        });
    }

    @Test
    void committedOffsetsLetANewMemberContinueWhereTheGroupStopped() {
        createTopic(tern.vertx(), tern, topic, 2);
        TernConsumerOptions options = new TernConsumerOptions()
                .setConsumeFromWhere(ConsumeFromWhere.CONSUME_FROM_FIRST_OFFSET);
        TernProducer producer = client().createProducer("PG");
        Received first = new Received();
        TernClient firstClient = client();
        start(firstClient, options, first);
        send(producer, "one-", 10);
        first.awaitAtLeast(10);
        await(firstClient.close());
        clients.remove(firstClient);

        send(producer, "two-", 10);
        Received second = new Received();
        start(client(), options, second);
        Set<String> got = bodies(second.awaitAtLeast(10));
        TernTestSupport.sleep(300);
        assertEquals(10, second.count(), "nothing consumed twice: " + got);
        assertTrue(got.stream().allMatch(s -> s.startsWith("two-")), got.toString());
    }
}

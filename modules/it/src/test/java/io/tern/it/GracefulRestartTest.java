package io.tern.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tern.server.EmbeddedTern;
import io.tern.server.EmbeddedTernOptions;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import org.apache.rocketmq.client.consumer.DefaultMQPushConsumer;
import org.apache.rocketmq.client.producer.DefaultMQProducer;
import org.apache.rocketmq.client.producer.SendResult;
import org.apache.rocketmq.client.producer.SendStatus;
import org.apache.rocketmq.common.message.Message;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A graceful restart on the same store root keeps every acknowledged message and every committed consumer offset:
 * the group that consumed before the restart gets only what was sent after it, a new group gets everything.
 */
class GracefulRestartTest {
    @TempDir
    Path storeRoot;

    @Test
    void restartKeepsMessagesAndCommittedOffsets() throws Exception {
        String topic = Clients.unique("Restart");
        String group = Clients.unique("CG");
        try (EmbeddedTern tern = EmbeddedTern.start(new EmbeddedTernOptions(storeRoot))) {
            Set<String> before = new HashSet<>();
            DefaultMQProducer producer = Clients.producer(tern.namesrvAddr());
            DefaultMQPushConsumer consumer = Clients.pushConsumer(tern.namesrvAddr(), group);
            Received received = new Received();
            try {
                producer.start();
                before.addAll(send(producer, topic, "before", 100));
                consumer.subscribe(topic, "*");
                consumer.registerMessageListener(received);
                consumer.start();
                Await.until("100 messages before restart", 60_000, () -> received.count() >= 100,
                        () -> "received " + received.count());
                // let the consume-progress offsets settle: shutdown() then persists them to the broker
                Await.sleep(500);
            } finally {
                Clients.shutdown(consumer, producer);
            }

            tern.restart();

            DefaultMQProducer producerAfter = Clients.producer(tern.namesrvAddr());
            DefaultMQPushConsumer sameGroup = Clients.pushConsumer(tern.namesrvAddr(), group);
            DefaultMQPushConsumer newGroup = Clients.pushConsumer(tern.namesrvAddr(), Clients.unique("CG"));
            Received sameGroupReceived = new Received();
            Received newGroupReceived = new Received();
            try {
                producerAfter.start();
                Set<String> after = send(producerAfter, topic, "after", 50);
                sameGroup.subscribe(topic, "*");
                sameGroup.registerMessageListener(sameGroupReceived);
                sameGroup.start();
                newGroup.subscribe(topic, "*");
                newGroup.registerMessageListener(newGroupReceived);
                newGroup.start();

                Set<String> all = new HashSet<>(before);
                all.addAll(after);
                Await.until("new group reads all 150", 60_000, () -> keys(newGroupReceived).containsAll(all),
                        () -> "received " + newGroupReceived.count());
                assertEquals(all, keys(newGroupReceived), "every acknowledged message survived the restart");
                Await.until("old group reads the 50 new ones", 60_000,
                        () -> keys(sameGroupReceived).containsAll(after),
                        () -> "received " + sameGroupReceived.count());
                Await.sleep(1_000);
                Set<String> redelivered = keys(sameGroupReceived);
                redelivered.removeAll(after);
                assertTrue(redelivered.isEmpty(), "committed offsets survived: no redelivery of " + redelivered);
            } finally {
                Clients.shutdown(sameGroup, newGroup, producerAfter);
            }
        }
    }

    static Set<String> send(DefaultMQProducer producer, String topic, String prefix, int count) throws Exception {
        Set<String> keys = new HashSet<>();
        for (int i = 0; i < count; i++) {
            String key = prefix + "-" + i;
            SendResult result = producer.send(new Message(topic, "TagA", key, key.getBytes(StandardCharsets.UTF_8)));
            assertEquals(SendStatus.SEND_OK, result.getSendStatus());
            keys.add(key);
        }
        return keys;
    }

    static Set<String> keys(Received received) {
        Set<String> keys = new HashSet<>();
        received.all().forEach(m -> keys.add(m.getKeys()));
        return keys;
    }
}

package io.tern.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Set;
import org.apache.rocketmq.client.consumer.DefaultMQPushConsumer;
import org.apache.rocketmq.client.producer.DefaultMQProducer;
import org.apache.rocketmq.client.producer.SendStatus;
import org.apache.rocketmq.common.message.Message;
import org.junit.jupiter.api.Test;

/** A subscription "TagA || TagC" receives exactly the TagA and TagC messages. */
class TagFilterTest extends EmbeddedTernTestBase {

    @Test
    void tagExpressionDeliversExactlyThoseTags() throws Exception {
        String topic = Clients.unique("Tags");
        DefaultMQProducer producer = Clients.producer(tern.namesrvAddr());
        DefaultMQPushConsumer consumer = Clients.pushConsumer(tern.namesrvAddr(), Clients.unique("CG"));
        Received received = new Received();
        try {
            producer.start();
            Set<String> expected = new HashSet<>();
            String[] tags = {"TagA", "TagB", "TagC", "TagD"};
            for (int i = 0; i < 200; i++) {
                String tag = tags[i % tags.length];
                String key = tag + "-" + i;
                Message msg = new Message(topic, tag, key, key.getBytes(StandardCharsets.UTF_8));
                assertEquals(SendStatus.SEND_OK, producer.send(msg).getSendStatus());
                if (tag.equals("TagA") || tag.equals("TagC")) {
                    expected.add(key);
                }
            }
            consumer.subscribe(topic, "TagA || TagC");
            consumer.registerMessageListener(received);
            consumer.start();
            Await.until(expected.size() + " TagA/TagC messages", 60_000, () -> received.count() >= expected.size(),
                    () -> "received " + received.count());
            // messages of other tags would have been delivered along with these; give stragglers a moment anyway
            Await.sleep(1_000);
            Set<String> keys = new HashSet<>();
            received.all().forEach(m -> keys.add(m.getKeys()));
            assertEquals(expected, keys);
        } finally {
            Clients.shutdown(consumer, producer);
        }
    }
}

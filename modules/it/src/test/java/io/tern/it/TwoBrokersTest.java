package io.tern.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

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
import org.apache.rocketmq.common.TopicConfig;
import org.apache.rocketmq.common.message.Message;
import org.apache.rocketmq.common.protocol.route.TopicRouteData;
import org.apache.rocketmq.tools.admin.DefaultMQAdminExt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two brokers behind one nameserver: a topic on both gets messages on both, one consumer group reads both, and
 * when one broker stops the producer fails over to the other without losing a send.
 */
class TwoBrokersTest {
    @TempDir
    Path storeRoot;

    @Test
    void topicSpreadOverTwoBrokersAndFailover() throws Exception {
        try (EmbeddedTern tern = EmbeddedTern.start(new EmbeddedTernOptions(storeRoot).brokers(2))) {
            String topic = Clients.unique("TwoBrokers");
            DefaultMQAdminExt admin = Clients.admin(tern.namesrvAddr());
            DefaultMQProducer producer = Clients.producer(tern.namesrvAddr());
            DefaultMQPushConsumer consumer = Clients.pushConsumer(tern.namesrvAddr(), Clients.unique("CG"));
            Received received = new Received();
            try {
                admin.start();
                assertEquals(Set.of("broker-a", "broker-b"),
                        admin.examineBrokerClusterInfo().getClusterAddrTable().get(tern.clusterName()));
                for (String brokerAddr : tern.brokerAddrs()) {
                    admin.createAndUpdateTopicConfig(brokerAddr, new TopicConfig(topic, 4, 4, 6));
                }
                Await.until("a route over both brokers", 30_000, () -> brokersInRoute(admin, topic) == 2);

                producer.start();
                Set<String> brokersUsed = new HashSet<>();
                Set<String> sent = new HashSet<>();
                for (int i = 0; i < 100; i++) {
                    SendResult result = producer.send(message(topic, "spread-" + i));
                    assertEquals(SendStatus.SEND_OK, result.getSendStatus());
                    brokersUsed.add(result.getMessageQueue().getBrokerName());
                    sent.add("spread-" + i);
                }
                assertEquals(Set.of("broker-a", "broker-b"), brokersUsed, "sends go round both brokers");

                consumer.subscribe(topic, "*");
                consumer.registerMessageListener(received);
                consumer.start();
                Await.until("100 messages from both brokers", 60_000,
                        () -> GracefulRestartTest.keys(received).containsAll(sent),
                        () -> "received " + received.count());
                Set<String> brokersReadFrom = new HashSet<>();
                received.all().forEach(m -> brokersReadFrom.add(m.getStoreHost().toString().replaceFirst("^.*/", "")));
                assertEquals(new HashSet<>(tern.brokerAddrs()), brokersReadFrom);

                tern.stopBroker(1);
                Set<String> sentAfterStop = new HashSet<>();
                for (int i = 0; i < 50; i++) {
                    SendResult result = producer.send(message(topic, "failover-" + i));
                    assertEquals(SendStatus.SEND_OK, result.getSendStatus(), "send " + i + " after broker-b stopped");
                    assertEquals("broker-a", result.getMessageQueue().getBrokerName());
                    sentAfterStop.add("failover-" + i);
                }
                Await.until("the 50 sent after the stop", 60_000,
                        () -> GracefulRestartTest.keys(received).containsAll(sentAfterStop),
                        () -> "received " + received.count());
            } finally {
                Clients.shutdown(consumer, producer, admin);
            }
        }
    }

    private static Message message(String topic, String key) {
        return new Message(topic, "TagA", key, key.getBytes(StandardCharsets.UTF_8));
    }

    private static int brokersInRoute(DefaultMQAdminExt admin, String topic) {
        try {
            TopicRouteData route = admin.examineTopicRouteInfo(topic);
            return route.getQueueDatas().size();
        } catch (Exception notYet) {
            return 0;
        }
    }
}

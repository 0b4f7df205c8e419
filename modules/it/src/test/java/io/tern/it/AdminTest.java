package io.tern.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;
import org.apache.rocketmq.client.consumer.DefaultMQPushConsumer;
import org.apache.rocketmq.client.producer.DefaultMQProducer;
import org.apache.rocketmq.client.producer.SendStatus;
import org.apache.rocketmq.common.TopicConfig;
import org.apache.rocketmq.common.admin.ConsumeStats;
import org.apache.rocketmq.common.admin.OffsetWrapper;
import org.apache.rocketmq.common.admin.TopicOffset;
import org.apache.rocketmq.common.admin.TopicStatsTable;
import org.apache.rocketmq.common.message.Message;
import org.apache.rocketmq.common.message.MessageQueue;
import org.apache.rocketmq.common.protocol.body.ClusterInfo;
import org.apache.rocketmq.common.protocol.route.BrokerData;
import org.apache.rocketmq.common.protocol.route.QueueData;
import org.apache.rocketmq.common.protocol.route.TopicRouteData;
import org.apache.rocketmq.tools.admin.DefaultMQAdminExt;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The mqadmin API (DefaultMQAdminExt 4.9.8): create topic, cluster info, route, topic list, topic stats, lag.
 * One test per call, so a missing call fails alone.
 */
class AdminTest extends EmbeddedTernTestBase {
    static DefaultMQAdminExt admin;
    static DefaultMQProducer producer;

    @BeforeAll
    static void startClients() throws Exception {
        admin = Clients.admin(tern.namesrvAddr());
        admin.start();
        producer = Clients.producer(tern.namesrvAddr());
        producer.start();
    }

    @AfterAll
    static void stopClients() {
        Clients.shutdown(producer, admin);
    }

    @Test
    void clusterInfoListsTheBroker() throws Exception {
        ClusterInfo cluster = admin.examineBrokerClusterInfo();
        assertEquals(Set.of(tern.brokerName()), cluster.getClusterAddrTable().get(tern.clusterName()),
                "cluster table: " + cluster.getClusterAddrTable());
        BrokerData brokerData = cluster.getBrokerAddrTable().get(tern.brokerName());
        assertEquals(tern.brokerAddr(), brokerData.getBrokerAddrs().get(0L));
        assertEquals(tern.clusterName(), brokerData.getCluster());
    }

    @Test
    void createTopicThenRouteAndTopicListShowIt() throws Exception {
        String topic = Clients.unique("AdminCreated");
        admin.createAndUpdateTopicConfig(tern.brokerAddr(), new TopicConfig(topic, 3, 5, 6));
        Await.until("route of the new topic", 30_000, () -> routeOrNull(topic) != null);
        TopicRouteData route = admin.examineTopicRouteInfo(topic);
        assertEquals(1, route.getQueueDatas().size());
        QueueData queueData = route.getQueueDatas().get(0);
        assertEquals(tern.brokerName(), queueData.getBrokerName());
        assertEquals(3, queueData.getReadQueueNums());
        assertEquals(5, queueData.getWriteQueueNums());
        assertEquals(6, queueData.getPerm());
        assertEquals(tern.brokerAddr(), route.getBrokerDatas().get(0).getBrokerAddrs().get(0L));
        assertTrue(admin.fetchAllTopicList().getTopicList().contains(topic), "topic list holds " + topic);
    }

    @Test
    void routeAndTopicListOfAnAutoCreatedTopic() throws Exception {
        String topic = sendTo(Clients.unique("AdminAuto"), 1);
        Await.until("route of the auto-created topic", 30_000, () -> routeOrNull(topic) != null);
        TopicRouteData route = admin.examineTopicRouteInfo(topic);
        assertEquals(1, route.getQueueDatas().size());
        assertEquals(4, route.getQueueDatas().get(0).getWriteQueueNums(), "producer default of 4 queues");
        assertEquals(tern.brokerAddr(), route.getBrokerDatas().get(0).getBrokerAddrs().get(0L));
        assertTrue(admin.fetchAllTopicList().getTopicList().contains(topic), "topic list holds " + topic);
    }

    @Test
    void topicStatsCountMessages() throws Exception {
        String topic = sendTo(Clients.unique("AdminStats"), 40);
        TopicStatsTable stats = admin.examineTopicStats(topic);
        assertEquals(4, stats.getOffsetTable().size(), "4 queues: " + stats.getOffsetTable());
        long total = 0;
        for (Map.Entry<MessageQueue, TopicOffset> e : stats.getOffsetTable().entrySet()) {
            assertEquals(0, e.getValue().getMinOffset(), e.getKey().toString());
            total += e.getValue().getMaxOffset();
        }
        assertEquals(40, total, "max offsets add up to the messages sent");
    }

    @Test
    void consumeStatsShowTheLag() throws Exception {
        String topic = sendTo(Clients.unique("AdminLag"), 40);
        String group = Clients.unique("CG");
        DefaultMQPushConsumer consumer = Clients.pushConsumer(tern.namesrvAddr(), group);
        try {
            Received received = new Received();
            consumer.subscribe(topic, "*");
            consumer.registerMessageListener(received);
            consumer.start();
            Await.until("40 consumed", 60_000, () -> received.count() >= 40, () -> "received " + received.count());
            Await.sleep(500);
        } finally {
            consumer.shutdown();
        }
        sendTo(topic, 10);
        Await.until("consume stats showing a lag of 10", 30_000, () -> lagOrMinusOne(group, topic) == 10,
                () -> "lag " + lagOrMinusOne(group, topic));
        ConsumeStats consumeStats = admin.examineConsumeStats(group);
        long brokerTotal = 0;
        long consumerTotal = 0;
        for (Map.Entry<MessageQueue, OffsetWrapper> e : consumeStats.getOffsetTable().entrySet()) {
            if (e.getKey().getTopic().equals(topic)) { // the group's %RETRY% topic may be listed too
                brokerTotal += e.getValue().getBrokerOffset();
                consumerTotal += e.getValue().getConsumerOffset();
            }
        }
        assertEquals(50, brokerTotal);
        assertEquals(40, consumerTotal);
    }

    private static String sendTo(String topic, int count) throws Exception {
        for (int i = 0; i < count; i++) {
            assertEquals(SendStatus.SEND_OK, producer.send(new Message(topic, "TagA", "k" + i,
                    ("m" + i).getBytes(StandardCharsets.UTF_8))).getSendStatus());
        }
        return topic;
    }

    private static TopicRouteData routeOrNull(String topic) {
        try {
            return admin.examineTopicRouteInfo(topic);
        } catch (Exception notYet) {
            return null;
        }
    }

    /** Lag of {@code topic} only (the %RETRY% topic of the group may be listed as well), -1 on error. */
    private static long lagOrMinusOne(String group, String topic) {
        try {
            long lag = 0;
            for (Map.Entry<MessageQueue, OffsetWrapper> e : admin.examineConsumeStats(group).getOffsetTable().entrySet()) {
                if (e.getKey().getTopic().equals(topic)) {
                    lag += e.getValue().getBrokerOffset() - e.getValue().getConsumerOffset();
                }
            }
            return lag;
        } catch (Exception e) {
            return -1;
        }
    }
}

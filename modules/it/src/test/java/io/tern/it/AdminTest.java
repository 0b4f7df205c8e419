package io.tern.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Map;
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
import org.junit.jupiter.api.Test;

/** The mqadmin API (DefaultMQAdminExt 4.9.8): create topic, cluster info, route, topic list, topic stats, lag. */
class AdminTest extends EmbeddedTernTestBase {

    @Test
    void adminCallsAnswerCorrectly() throws Exception {
        String topic = Clients.unique("AdminTopic");
        String group = Clients.unique("CG");
        DefaultMQAdminExt admin = Clients.admin(tern.namesrvAddr());
        DefaultMQProducer producer = Clients.producer(tern.namesrvAddr());
        DefaultMQPushConsumer consumer = Clients.pushConsumer(tern.namesrvAddr(), group);
        try {
            admin.start();

            ClusterInfo cluster = admin.examineBrokerClusterInfo();
            assertEquals(java.util.Set.of(tern.brokerName()), cluster.getClusterAddrTable().get(tern.clusterName()),
                    "cluster table: " + cluster.getClusterAddrTable());
            BrokerData brokerData = cluster.getBrokerAddrTable().get(tern.brokerName());
            assertEquals(tern.brokerAddr(), brokerData.getBrokerAddrs().get(0L));
            assertEquals(tern.clusterName(), brokerData.getCluster());

            TopicConfig config = new TopicConfig(topic, 4, 4, 6);
            admin.createAndUpdateTopicConfig(tern.brokerAddr(), config);
            Await.until("route of the new topic", 30_000, () -> routeOrNull(admin, topic) != null);
            TopicRouteData route = admin.examineTopicRouteInfo(topic);
            assertEquals(1, route.getQueueDatas().size());
            QueueData queueData = route.getQueueDatas().get(0);
            assertEquals(tern.brokerName(), queueData.getBrokerName());
            assertEquals(4, queueData.getReadQueueNums());
            assertEquals(4, queueData.getWriteQueueNums());
            assertEquals(6, queueData.getPerm());
            assertEquals(tern.brokerAddr(), route.getBrokerDatas().get(0).getBrokerAddrs().get(0L));

            assertTrue(admin.fetchAllTopicList().getTopicList().contains(topic), "topic list holds " + topic);

            producer.start();
            for (int i = 0; i < 40; i++) {
                assertEquals(SendStatus.SEND_OK, producer.send(new Message(topic, "TagA", "k" + i,
                        ("m" + i).getBytes(StandardCharsets.UTF_8))).getSendStatus());
            }
            TopicStatsTable stats = admin.examineTopicStats(topic);
            assertEquals(4, stats.getOffsetTable().size(), "4 queues: " + stats.getOffsetTable());
            long total = 0;
            for (Map.Entry<MessageQueue, TopicOffset> e : stats.getOffsetTable().entrySet()) {
                assertEquals(0, e.getValue().getMinOffset(), e.getKey().toString());
                total += e.getValue().getMaxOffset();
            }
            assertEquals(40, total, "max offsets add up to the messages sent");

            Received received = new Received();
            consumer.subscribe(topic, "*");
            consumer.registerMessageListener(received);
            consumer.start();
            Await.until("40 consumed", 60_000, () -> received.count() >= 40, () -> "received " + received.count());
            Await.sleep(500);
            consumer.shutdown();
            for (int i = 0; i < 10; i++) {
                producer.send(new Message(topic, "TagA", "late" + i, "late".getBytes(StandardCharsets.UTF_8)));
            }
            Await.until("consume stats showing a lag of 10", 30_000, () -> lagOrMinusOne(admin, group) == 10,
                    () -> "lag " + lagOrMinusOne(admin, group));
            ConsumeStats consumeStats = admin.examineConsumeStats(group);
            long brokerTotal = 0;
            long consumerTotal = 0;
            for (Map.Entry<MessageQueue, OffsetWrapper> e : consumeStats.getOffsetTable().entrySet()) {
                if (!e.getKey().getTopic().equals(topic)) {
                    continue; // the group's %RETRY% topic may be listed too
                }
                brokerTotal += e.getValue().getBrokerOffset();
                consumerTotal += e.getValue().getConsumerOffset();
            }
            assertEquals(50, brokerTotal);
            assertEquals(40, consumerTotal);
        } finally {
            Clients.shutdown(consumer, producer, admin);
        }
    }

    private static TopicRouteData routeOrNull(DefaultMQAdminExt admin, String topic) {
        try {
            return admin.examineTopicRouteInfo(topic);
        } catch (Exception notYet) {
            return null;
        }
    }

    private static long lagOrMinusOne(DefaultMQAdminExt admin, String group) {
        try {
            return admin.examineConsumeStats(group).computeTotalDiff();
        } catch (Exception e) {
            return -1;
        }
    }
}

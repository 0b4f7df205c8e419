package io.tern.broker.progress;

import io.tern.broker.BrokerServices;
import io.tern.common.protocol.AdminBodies.ConsumeStats;
import io.tern.common.protocol.AdminBodies.OffsetWrapper;
import io.tern.broker.client.ConsumerGroupInfo;
import io.tern.common.Json;
import io.tern.common.protocol.MessageQueue;
import io.tern.common.protocol.TopicConfig;
import io.tern.remoting.RemotingConnection;
import io.tern.remoting.protocol.RemotingCommand;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * GET_BROKER_CONSUME_STATS (317, {@code mqadmin brokerConsumeStats}): for every subscription group, a ConsumeStats
 * per topic it has committed offsets for (only ordered topics with {@code isOrder}; topics an online group no
 * longer subscribes to are skipped), and the broker-wide total lag.
 *
 * <pre>{"brokerAddr":"ip:port","totalDiff":n,"consumeStatsList":[{"group":[ConsumeStats, ...]}, ...]}</pre>
 *
 * <p>Runs on the event loop: in-memory tables and mapped-page reads.
 */
public final class BrokerConsumeStatsProcessor {
    private final BrokerServices broker;

    public BrokerConsumeStatsProcessor(BrokerServices broker) {
        this.broker = broker;
    }

    public static final class ConsumeStatsList {
        public List<Map<String, List<ConsumeStats>>> consumeStatsList = new ArrayList<>();
        public String brokerAddr;
        public long totalDiff;
    }

    public Future<RemotingCommand> process(RemotingConnection conn, RemotingCommand req) {
        boolean orderOnly = req.extBool("isOrder");
        ConsumeStatsList body = new ConsumeStatsList();
        body.brokerAddr = broker.brokerAddr;
        for (String group : new TreeMap<>(broker.groups.all()).keySet()) {
            ConsumerGroupInfo online = broker.consumers.group(group);
            List<ConsumeStats> perTopic = new ArrayList<>();
            for (String topic : broker.offsets.topicsOf(group)) {
                TopicConfig tc = broker.topics.get(topic);
                if (tc == null || (orderOnly && !tc.order)) {
                    continue;
                }
                if (online != null && !online.subscriptions().isEmpty() && online.subscription(topic) == null) {
                    continue;
                }
                ConsumeStats stats = new ConsumeStats();
                for (int q = 0; q < tc.writeQueueNums; q++) {
                    OffsetWrapper w = new OffsetWrapper();
                    w.brokerOffset = Math.max(0, broker.store.maxOffsetInQueue(topic, q));
                    w.consumerOffset = Math.max(0, broker.offsets.query(group, topic, q));
                    if (w.consumerOffset > 0) {
                        w.lastTimestamp = Math.max(0, broker.store.storeTime(topic, q, w.consumerOffset - 1));
                    }
                    body.totalDiff += w.brokerOffset - w.consumerOffset;
                    stats.offsetTable.put(new MessageQueue(topic, broker.config.brokerName, q), w);
                }
                perTopic.add(stats);
            }
            body.consumeStatsList.add(Map.of(group, perTopic));
        }
        return Future.succeededFuture(RemotingCommand.successTo(req).body(Json.toBytes(body)));
    }
}

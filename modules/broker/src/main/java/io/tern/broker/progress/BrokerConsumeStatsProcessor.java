package io.tern.broker.progress;

import io.tern.broker.BrokerAddress;
import io.tern.broker.BrokerConfig;
import io.tern.broker.client.ConsumerGroupInfo;
import io.tern.broker.client.ConsumerRegistry;
import io.tern.broker.config.ConsumerOffsetManager;
import io.tern.broker.config.SubscriptionGroupManager;
import io.tern.broker.config.TopicConfigManager;
import io.tern.broker.metrics.ConsumeRates;
import io.tern.common.Json;
import io.tern.common.protocol.AdminBodies.ConsumeStats;
import io.tern.common.protocol.AdminBodies.OffsetWrapper;
import io.tern.common.protocol.MessageQueue;
import io.tern.common.protocol.TopicConfig;
import io.tern.remoting.RemotingChannel;
import io.tern.remoting.protocol.RemotingCommand;
import io.tern.store.MessageStore;
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
    private final BrokerConfig config;
    private final BrokerAddress address;
    private final MessageStore store;
    private final TopicConfigManager topics;
    private final SubscriptionGroupManager groups;
    private final ConsumerOffsetManager offsets;
    private final ConsumerRegistry consumers;
    private final ConsumeRates rates;

    public BrokerConsumeStatsProcessor(BrokerConfig config, BrokerAddress address, MessageStore store,
                                       TopicConfigManager topics, SubscriptionGroupManager groups,
                                       ConsumerOffsetManager offsets, ConsumerRegistry consumers,
                                       ConsumeRates rates) {
        this.config = config;
        this.address = address;
        this.store = store;
        this.topics = topics;
        this.groups = groups;
        this.offsets = offsets;
        this.consumers = consumers;
        this.rates = rates;
    }

    public static final class ConsumeStatsList {
        public List<Map<String, List<ConsumeStats>>> consumeStatsList = new ArrayList<>();
        public String brokerAddr;
        public long totalDiff;
    }

    public Future<RemotingCommand> process(RemotingChannel conn, RemotingCommand req) {
        boolean orderOnly = req.extBool("isOrder");
        ConsumeStatsList body = new ConsumeStatsList();
        body.brokerAddr = address.hostPort();
        for (String group : new TreeMap<>(groups.all()).keySet()) {
            ConsumerGroupInfo online = consumers.group(group);
            List<ConsumeStats> perTopic = new ArrayList<>();
            for (String topic : offsets.topicsOf(group)) {
                TopicConfig tc = topics.get(topic);
                if (tc == null || (orderOnly && !tc.order)) {
                    continue;
                }
                if (online != null && !online.subscriptions().isEmpty() && online.subscription(topic) == null) {
                    continue;
                }
                ConsumeStats stats = new ConsumeStats();
                stats.consumeTps = rates.tps(topic, group);
                for (int q = 0; q < tc.writeQueueNums; q++) {
                    OffsetWrapper w = new OffsetWrapper();
                    w.brokerOffset = Math.max(0, store.maxOffsetInQueue(topic, q));
                    w.consumerOffset = Math.max(0, offsets.query(group, topic, q));
                    if (w.consumerOffset > 0) {
                        w.lastTimestamp = Math.max(0, store.storeTime(topic, q, w.consumerOffset - 1));
                    }
                    body.totalDiff += w.brokerOffset - w.consumerOffset;
                    stats.offsetTable.put(new MessageQueue(topic, config.brokerName, q), w);
                }
                perTopic.add(stats);
            }
            body.consumeStatsList.add(Map.of(group, perTopic));
        }
        return Future.succeededFuture(RemotingCommand.successTo(req).body(Json.toBytes(body)));
    }
}

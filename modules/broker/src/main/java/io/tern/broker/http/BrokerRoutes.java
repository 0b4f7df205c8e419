package io.tern.broker.http;

import io.tern.broker.BrokerAddress;
import io.tern.broker.BrokerConfig;
import io.tern.broker.ha.Replication;
import io.tern.broker.BrokerStats;
import io.tern.broker.client.ConsumerRegistry;
import io.tern.broker.config.TopicConfigManager;
import io.tern.broker.metrics.BrokerMetrics;
import io.tern.broker.pull.PullHoldTable;
import io.tern.remoting.protocol.RemotingCommand;
import io.tern.store.MessageStore;
import io.tern.store.StoreStats;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** {@code GET /api/health} and {@code GET /api/broker}. */
final class BrokerRoutes {
    /** The RocketMQ version the broker presents to clients (GET_BROKER_RUNTIME_INFO brokerVersionDesc). */
    static final String PROTOCOL_VERSION = "V4_9_7";
    /** The version Maven wrote into the broker jar (kept in the fat jar), or "dev" when run from classes. */
    static final String VERSION = readVersion();

    private final BrokerConfig config;
    private final BrokerAddress address;
    private final long bootTimestampMs;
    private final MessageStore store;
    private final TopicConfigManager topics;
    private final ConsumerRegistry consumers;
    private final PullHoldTable holds;
    private final BrokerStats stats;
    private final BrokerMetrics metrics;
    private final Replication replication;

    BrokerRoutes(BrokerConfig config, BrokerAddress address, long bootTimestampMs, MessageStore store,
                 TopicConfigManager topics, ConsumerRegistry consumers, PullHoldTable holds, BrokerStats stats,
                 BrokerMetrics metrics, Replication replication) {
        this.config = config;
        this.address = address;
        this.bootTimestampMs = bootTimestampMs;
        this.store = store;
        this.topics = topics;
        this.consumers = consumers;
        this.holds = holds;
        this.stats = stats;
        this.metrics = metrics;
        this.replication = replication;
    }

    void mount(Router router) {
        router.get("/api/health").handler(this::health);
        router.get("/api/broker").handler(this::info);
    }

    private void health(RoutingContext ctx) {
        boolean writable = this.store.isWritable();
        JsonObject body = new JsonObject()
                .put("status", writable ? "UP" : "DOWN")
                .put("brokerName", config.brokerName)
                .put("storeWritable", writable);
        if (!writable) {
            body.put("reason", this.store.notWritableReason());
        }
        Replies.json(ctx, writable ? 200 : 503, body);
    }

    private void info(RoutingContext ctx) {
        long now = System.currentTimeMillis();
        StoreStats s = this.store.stats();
        JsonObject store = new JsonObject()
                .put("writable", this.store.isWritable())
                .put("notWritableReason", this.store.isWritable() ? null : this.store.notWritableReason())
                .put("minPhysicalOffset", s.minPhysicalOffset())
                .put("maxPhysicalOffset", s.maxPhysicalOffset())
                .put("flushedPhysicalOffset", s.flushedPhysicalOffset())
                .put("dispatchBehindBytes", s.dispatchBehindBytes())
                .put("putMessageCount", s.putMessageCount())
                .put("putFailureCount", s.putFailureCount())
                .put("earliestMessageTimestamp", s.earliestMessageTimestamp())
                .put("commitLogDiskRatio", s.commitLogDiskRatio())
                .put("flushMode", String.valueOf(config.store.flushMode))
                .put("storeRoot", config.store.storeRoot);
        JsonObject body = new JsonObject()
                .put("brokerName", config.brokerName)
                .put("clusterName", config.clusterName)
                .put("brokerId", config.brokerId)
                .put("address", address.hostPort())
                .put("version", VERSION)
                .put("protocolVersion", PROTOCOL_VERSION)
                .put("serializedVersion", RemotingCommand.SERVER_VERSION)
                .put("bootTimestamp", bootTimestampMs)
                .put("uptimeMs", now - bootTimestampMs)
                .put("permission", config.brokerPermission)
                .put("nameServers", config.namesrvAddr)
                .put("messagesPutTotal", stats.messagesPut.sum())
                .put("messagesGotTotal", stats.messagesGot.sum())
                .put("putTps", stats.putTps())
                .put("getTps", stats.getTps())
                .put("parkedPulls", holds.parkedCount())
                .put("connections", metrics.connections())
                .put("topics", topics.all().size())
                .put("consumerGroupsOnline", consumers.all().size())
                .put("store", store)
                .put("replication", replication.status());
        Replies.json(ctx, 200, body);
    }

    private static String readVersion() {
        try (InputStream in = BrokerRoutes.class.getResourceAsStream(
                "/META-INF/maven/io.tern/tern-broker/pom.properties")) {
            if (in == null) {
                return "dev";
            }
            Properties p = new Properties();
            p.load(in);
            return p.getProperty("version", "dev");
        } catch (IOException e) {
            return "dev";
        }
    }
}

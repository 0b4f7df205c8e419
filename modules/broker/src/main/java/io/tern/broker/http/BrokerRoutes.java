package io.tern.broker.http;

import io.tern.broker.BrokerServices;
import io.tern.remoting.protocol.RemotingCommand;
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

    private final BrokerServices broker;

    BrokerRoutes(BrokerServices broker) {
        this.broker = broker;
    }

    void mount(Router router) {
        router.get("/api/health").handler(this::health);
        router.get("/api/broker").handler(this::info);
    }

    private void health(RoutingContext ctx) {
        boolean writable = broker.store.isWritable();
        JsonObject body = new JsonObject()
                .put("status", writable ? "UP" : "DOWN")
                .put("brokerName", broker.config.brokerName)
                .put("storeWritable", writable);
        if (!writable) {
            body.put("reason", broker.store.notWritableReason());
        }
        Replies.json(ctx, writable ? 200 : 503, body);
    }

    private void info(RoutingContext ctx) {
        long now = System.currentTimeMillis();
        StoreStats s = broker.store.stats();
        JsonObject store = new JsonObject()
                .put("writable", broker.store.isWritable())
                .put("notWritableReason", broker.store.isWritable() ? null : broker.store.notWritableReason())
                .put("minPhysicalOffset", s.minPhysicalOffset())
                .put("maxPhysicalOffset", s.maxPhysicalOffset())
                .put("flushedPhysicalOffset", s.flushedPhysicalOffset())
                .put("dispatchBehindBytes", s.dispatchBehindBytes())
                .put("putMessageCount", s.putMessageCount())
                .put("putFailureCount", s.putFailureCount())
                .put("earliestMessageTimestamp", s.earliestMessageTimestamp())
                .put("commitLogDiskRatio", s.commitLogDiskRatio())
                .put("flushMode", String.valueOf(broker.config.store.flushMode))
                .put("storeRoot", broker.config.store.storeRoot);
        JsonObject body = new JsonObject()
                .put("brokerName", broker.config.brokerName)
                .put("clusterName", broker.config.clusterName)
                .put("brokerId", broker.config.brokerId)
                .put("address", broker.brokerAddr)
                .put("version", VERSION)
                .put("protocolVersion", PROTOCOL_VERSION)
                .put("serializedVersion", RemotingCommand.SERVER_VERSION)
                .put("bootTimestamp", broker.bootTimestampMs)
                .put("uptimeMs", now - broker.bootTimestampMs)
                .put("permission", broker.config.brokerPermission)
                .put("nameServers", broker.config.namesrvAddr)
                .put("messagesPutTotal", broker.stats.messagesPut.sum())
                .put("messagesGotTotal", broker.stats.messagesGot.sum())
                .put("putTps", broker.stats.putTps())
                .put("getTps", broker.stats.getTps())
                .put("parkedPulls", broker.holds.parkedCount())
                .put("connections", broker.metrics.connections())
                .put("topics", broker.topics.all().size())
                .put("consumerGroupsOnline", broker.consumers.all().size())
                .put("store", store);
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

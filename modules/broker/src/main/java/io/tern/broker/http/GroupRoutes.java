package io.tern.broker.http;

import io.tern.broker.client.ClientChannel;
import io.tern.broker.client.ConsumerGroupInfo;
import io.tern.broker.client.ConsumerRegistry;
import io.tern.broker.config.ConsumerOffsetManager;
import io.tern.broker.config.SubscriptionGroupConfig;
import io.tern.broker.config.SubscriptionGroupManager;
import io.tern.broker.config.TopicConfigManager;
import io.tern.broker.metrics.ConsumerLag;
import io.tern.common.Json;
import io.tern.common.protocol.SubscriptionData;
import io.tern.common.protocol.TopicConfig;
import io.tern.store.MessageStore;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * {@code GET /api/groups} and {@code GET /api/groups/{group}}. A group is known when it has a subscription group
 * config, online consumers or committed offsets; its topics are those it subscribes to or has offsets on.
 */
final class GroupRoutes {
    /** The groups every broker pre-creates (SubscriptionGroupManager, as RocketMQ does): flagged "system". */
    static final Set<String> BUILT_IN_GROUPS = Set.of("TOOLS_CONSUMER", "CID_RMQ_SYS_TRANS", "DEFAULT_CONSUMER",
            "SELF_TEST_C_GROUP", "CID_ONS-HTTP-PROXY", "CID_ONSAPI_PULL", "CID_ONSAPI_PERMISSION", "CID_ONSAPI_OWNER");

    private final MessageStore store;
    private final TopicConfigManager topics;
    private final SubscriptionGroupManager groups;
    private final ConsumerOffsetManager offsets;
    private final ConsumerRegistry consumers;
    private final ConsumerLag consumerLag;

    GroupRoutes(MessageStore store, TopicConfigManager topics, SubscriptionGroupManager groups,
                ConsumerOffsetManager offsets, ConsumerRegistry consumers) {
        this.store = store;
        this.topics = topics;
        this.groups = groups;
        this.offsets = offsets;
        this.consumers = consumers;
        this.consumerLag = new ConsumerLag(topics, store, offsets);
    }

    void mount(Router router) {
        router.get("/api/groups").handler(this::list);
        router.get("/api/groups/:group").handler(this::one);
    }

    private Set<String> knownGroups() {
        Set<String> groups = new TreeSet<>(this.groups.all().keySet());
        groups.addAll(consumers.all().keySet());
        for (String key : offsets.all().keySet()) {
            int at = key.indexOf('@');
            if (at > 0) {
                groups.add(key.substring(at + 1));
            }
        }
        return groups;
    }

    private Set<String> topicsOf(String group) {
        Set<String> topics = new TreeSet<>(offsets.topicsOf(group));
        ConsumerGroupInfo info = consumers.group(group);
        if (info != null) {
            topics.addAll(info.subscriptions().keySet());
        }
        return topics;
    }

    private void list(RoutingContext ctx) {
        JsonArray out = new JsonArray();
        for (String group : knownGroups()) {
            ConsumerGroupInfo info = consumers.group(group);
            long lag = 0;
            JsonArray topics = new JsonArray();
            for (String topic : topicsOf(group)) {
                topics.add(topic);
                lag += Math.max(0, consumerLag.of(group, topic));
            }
            out.add(new JsonObject()
                    .put("group", group)
                    .put("system", BUILT_IN_GROUPS.contains(group))
                    .put("onlineClients", info == null ? 0 : info.channels().size())
                    .put("consumeType", info == null ? null : info.consumeType())
                    .put("messageModel", info == null ? null : info.messageModel())
                    .put("topics", topics)
                    .put("lag", lag));
        }
        Replies.json(ctx, out);
    }

    private void one(RoutingContext ctx) {
        String group = ctx.pathParam("group");
        if (!knownGroups().contains(group)) {
            Replies.error(ctx, 404, "consumer group " + group + " is not known to this broker");
            return;
        }
        ConsumerGroupInfo info = consumers.group(group);
        JsonObject body = new JsonObject().put("group", group);
        SubscriptionGroupConfig gc = this.groups.get(group);
        if (gc != null) {
            body.put("config", new JsonObject(Json.toString(gc)));
        }
        JsonArray clients = new JsonArray();
        JsonArray subscriptions = new JsonArray();
        if (info != null) {
            body.put("consumeType", info.consumeType()).put("messageModel", info.messageModel())
                    .put("consumeFromWhere", info.consumeFromWhere());
            List<ClientChannel> channels = info.channels();
            for (ClientChannel c : channels) {
                clients.add(new JsonObject().put("clientId", c.clientId)
                        .put("clientAddr", c.connection.remoteAddress())
                        .put("language", c.language).put("version", c.version)
                        .put("lastHeartbeatTimestamp", c.lastUpdateMs()));
            }
            for (SubscriptionData s : info.subscriptions().values()) {
                subscriptions.add(new JsonObject().put("topic", s.topic).put("expression", s.subString)
                        .put("expressionType", s.expressionType).put("subVersion", s.subVersion));
            }
        }
        body.put("clients", clients).put("subscriptions", subscriptions);
        JsonArray topics = new JsonArray();
        long totalLag = 0;
        for (String topic : topicsOf(group)) {
            TopicConfig tc = this.topics.get(topic);
            if (tc == null) {
                continue;
            }
            JsonArray queues = new JsonArray();
            long topicLag = 0;
            for (int q = 0; q < tc.readQueueNums; q++) {
                long brokerOffset = Math.max(0, store.maxOffsetInQueue(topic, q));
                long consumerOffset = offsets.query(group, topic, q);
                long lag = consumerLag.of(group, topic, q);
                topicLag += lag;
                queues.add(new JsonObject().put("queueId", q).put("brokerOffset", brokerOffset)
                        .put("consumerOffset", consumerOffset).put("lag", lag)
                        .put("lastConsumedStoreTimestamp", consumerOffset > 0
                                ? Math.max(0, store.storeTime(topic, q, consumerOffset - 1)) : 0));
            }
            totalLag += topicLag;
            topics.add(new JsonObject().put("topic", topic).put("lag", topicLag).put("queues", queues));
        }
        body.put("topics", topics).put("lag", totalLag);
        Replies.json(ctx, 200, body);
    }
}

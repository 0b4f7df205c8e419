package io.tern.broker.http;

import io.tern.broker.BrokerConfig;
import io.tern.broker.config.ConsumerOffsetManager;
import io.tern.broker.config.TopicConfigManager;
import io.tern.broker.metrics.BrokerMetrics;
import io.tern.common.protocol.PermName;
import io.tern.common.protocol.SystemNames;
import io.tern.common.protocol.TopicConfig;
import io.tern.common.protocol.TopicValidator;
import io.tern.remoting.protocol.RemotingCommand;
import io.tern.remoting.protocol.RequestCode;
import io.tern.remoting.protocol.ResponseCode;
import io.tern.store.MessageStore;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.Map;
import java.util.TreeMap;

/** {@code GET /api/topics}, {@code GET /api/topics/{topic}}, {@code POST /api/topics}. */
final class TopicRoutes {
    private static final int DEFAULT_QUEUE_NUMS = 8;

    private final BrokerConfig config;
    private final MessageStore store;
    private final TopicConfigManager topics;
    private final ConsumerOffsetManager offsets;
    private final BrokerMetrics metrics;
    private final BrokerRequests requests;

    TopicRoutes(BrokerConfig config, MessageStore store, TopicConfigManager topics, ConsumerOffsetManager offsets,
                BrokerMetrics metrics, BrokerRequests requests) {
        this.config = config;
        this.store = store;
        this.topics = topics;
        this.offsets = offsets;
        this.metrics = metrics;
        this.requests = requests;
    }

    void mount(Router router) {
        router.get("/api/topics").handler(this::list);
        router.get("/api/topics/:topic").handler(this::one);
        router.post("/api/topics").handler(this::createOrUpdate);
    }

    private void list(RoutingContext ctx) {
        JsonArray out = new JsonArray();
        for (TopicConfig tc : new TreeMap<>(topics.all()).values()) {
            long messages = 0;
            for (int q = 0; q < tc.writeQueueNums; q++) {
                messages += Math.max(0, store.maxOffsetInQueue(tc.topicName, q))
                        - Math.max(0, store.minOffsetInQueue(tc.topicName, q));
            }
            out.add(config(tc).put("messages", messages));
        }
        Replies.json(ctx, out);
    }

    private void one(RoutingContext ctx) {
        String topic = ctx.pathParam("topic");
        TopicConfig tc = topics.get(topic);
        if (tc == null) {
            Replies.error(ctx, 404, "topic " + topic + " does not exist");
            return;
        }
        Replies.json(ctx, 200, detail(tc));
    }

    private JsonObject detail(TopicConfig tc) {
        String topic = tc.topicName;
        JsonArray queues = new JsonArray();
        for (int q = 0; q < Math.max(tc.readQueueNums, tc.writeQueueNums); q++) {
            long min = Math.max(0, store.minOffsetInQueue(topic, q));
            long max = Math.max(0, store.maxOffsetInQueue(topic, q));
            queues.add(new JsonObject().put("queueId", q).put("minOffset", min).put("maxOffset", max)
                    .put("lastStoreTimestamp", max > 0 ? Math.max(0, store.storeTime(topic, q, max - 1)) : 0));
        }
        return config(tc)
                .put("queues", queues)
                .put("consumerGroups", new JsonArray(offsets.groupsOf(topic).stream().toList()))
                .put("messagesPutSinceStart", metrics.traffic().messagesPut(topic));
    }

    private JsonObject config(TopicConfig tc) {
        return new JsonObject()
                .put("topic", tc.topicName)
                .put("readQueueNums", tc.readQueueNums)
                .put("writeQueueNums", tc.writeQueueNums)
                .put("perm", tc.perm)
                .put("permText", PermName.isReadable(tc.perm) && PermName.isWriteable(tc.perm) ? "RW"
                        : PermName.isReadable(tc.perm) ? "R" : PermName.isWriteable(tc.perm) ? "W" : "-")
                .put("topicFilterType", tc.topicFilterType)
                .put("topicSysFlag", tc.topicSysFlag)
                .put("order", tc.order)
                .put("system", isSystem(tc.topicName));
    }

    private boolean isSystem(String topic) {
        return TopicValidator.isSystemTopic(topic) || topic.equals(config.clusterName)
                || topic.equals(config.brokerName) || SystemNames.isRetryTopic(topic)
                || SystemNames.isDlqTopic(topic) || topic.endsWith(SystemNames.REPLY_TOPIC_SUFFIX)
                || SystemNames.BENCHMARK_TOPIC.equals(topic) || SystemNames.SELF_TEST_TOPIC.equals(topic)
                || SystemNames.OFFSET_MOVED_EVENT.equals(topic) || SystemNames.DEFAULT_TOPIC.equals(topic);
    }

    /** Through UPDATE_AND_CREATE_TOPIC over the event bus: the remoting processor's checks apply. */
    private void createOrUpdate(RoutingContext ctx) {
        JsonObject req;
        try {
            req = ctx.body().asJsonObject();
        } catch (DecodeException | ClassCastException e) {
            Replies.error(ctx, 400, "body is not a JSON object: " + e.getMessage());
            return;
        }
        if (req == null || !(req.getValue("topic") instanceof String topic) || topic.isBlank()) {
            Replies.error(ctx, 400, "JSON body needs \"topic\"");
            return;
        }
        Map<String, Integer> ints = new TreeMap<>();
        TopicConfig existing = topics.get(topic);
        ints.put("readQueueNums", existing == null ? DEFAULT_QUEUE_NUMS : existing.readQueueNums);
        ints.put("writeQueueNums", existing == null ? DEFAULT_QUEUE_NUMS : existing.writeQueueNums);
        ints.put("perm", existing == null ? PermName.PERM_READ | PermName.PERM_WRITE : existing.perm);
        for (String key : ints.keySet()) {
            Object v = req.getValue(key);
            if (v == null) {
                continue;
            }
            if (!(v instanceof Number n) || n.doubleValue() != n.intValue()) {
                Replies.error(ctx, 400, "\"" + key + "\" must be an integer");
                return;
            }
            ints.put(key, n.intValue());
        }
        String filterType;
        boolean order;
        try {
            filterType = req.getString("topicFilterType",
                    existing == null ? TopicConfig.SINGLE_TAG : existing.topicFilterType);
            order = req.getBoolean("order", existing != null && existing.order);
        } catch (ClassCastException e) {
            Replies.error(ctx, 400, "\"topicFilterType\" must be a string and \"order\" a boolean");
            return;
        }
        RemotingCommand cmd = RemotingCommand.request(RequestCode.UPDATE_AND_CREATE_TOPIC)
                .put("topic", topic)
                .put("defaultTopic", SystemNames.DEFAULT_TOPIC)
                .put("readQueueNums", ints.get("readQueueNums"))
                .put("writeQueueNums", ints.get("writeQueueNums"))
                .put("perm", ints.get("perm"))
                .put("topicFilterType", filterType)
                .put("topicSysFlag", existing == null ? 0 : existing.topicSysFlag)
                .put("order", order);
        requests.call(cmd).onComplete(ar -> {
            if (ar.failed()) {
                Replies.error(ctx, 503, "broker did not answer: " + ar.cause().getMessage());
            } else if (ar.result().code() != ResponseCode.SUCCESS) {
                Replies.error(ctx, 400, ar.result().remark());
            } else {
                TopicConfig tc = topics.get(topic);
                Replies.json(ctx, existing == null ? 201 : 200, tc == null ? new JsonObject().put("topic", topic) : detail(tc));
            }
        });
    }
}

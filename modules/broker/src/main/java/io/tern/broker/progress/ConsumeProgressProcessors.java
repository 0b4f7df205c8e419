package io.tern.broker.progress;

import io.tern.broker.BrokerConfig;
import io.tern.broker.client.ConsumerGroupInfo;
import io.tern.broker.client.ConsumerRegistry;
import io.tern.broker.config.ConsumerOffsetManager;
import io.tern.broker.config.TopicConfigManager;
import io.tern.common.Json;
import io.tern.common.protocol.MessageQueue;
import io.tern.common.protocol.TopicConfig;
import io.tern.remoting.RemotingChannel;
import io.tern.remoting.protocol.RemotingCommand;
import io.tern.remoting.protocol.ResponseCode;
import io.tern.store.MessageStore;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Consume-progress admin calls (spec 3.7): QUERY_CONSUME_TIME_SPAN (303), QUERY_CORRECTION_OFFSET (308) and
 * CLONE_GROUP_OFFSET (314); GET_BROKER_CONSUME_STATS (317) and QUERY_CONSUME_QUEUE
 * (321) have their own classes. Computed from the committed offsets and the store's queue bounds and store times.
 *
 * <p>In-memory look-ups and mapped-page reads only: runs on the event loop.
 */
public final class ConsumeProgressProcessors {
    private final BrokerConfig config;
    private final MessageStore store;
    private final TopicConfigManager topics;
    private final ConsumerOffsetManager offsets;
    private final ConsumerRegistry consumers;

    public ConsumeProgressProcessors(BrokerConfig config, MessageStore store, TopicConfigManager topics,
                                     ConsumerOffsetManager offsets, ConsumerRegistry consumers) {
        this.config = config;
        this.store = store;
        this.topics = topics;
        this.offsets = offsets;
        this.consumers = consumers;
    }

    /** One entry of QueryConsumeTimeSpanBody. */
    public static final class QueueTimeSpan {
        public MessageQueue messageQueue;
        public long minTimeStamp;
        public long maxTimeStamp;
        public long consumeTimeStamp;
        public long delayTime;
    }

    public static final class QueryConsumeTimeSpanBody {
        public List<QueueTimeSpan> consumeTimeSpanSet = new ArrayList<>();
    }

    public static final class QueryCorrectionOffsetBody {
        public Map<Integer, Long> correctionOffsets = new TreeMap<>();
    }

    public Future<RemotingCommand> consumeTimeSpan(RemotingChannel conn, RemotingCommand req) {
        String topic = req.required("topic");
        String group = req.required("group");
        TopicConfig tc = this.topics.get(topic);
        if (tc == null) {
            return Future.succeededFuture(RemotingCommand.responseTo(req, ResponseCode.TOPIC_NOT_EXIST,
                    "topic[" + topic + "] not exist"));
        }
        QueryConsumeTimeSpanBody body = new QueryConsumeTimeSpanBody();
        long now = System.currentTimeMillis();
        for (int q = 0; q < tc.writeQueueNums; q++) {
            QueueTimeSpan span = new QueueTimeSpan();
            span.messageQueue = new MessageQueue(topic, config.brokerName, q);
            span.minTimeStamp = store.earliestMessageTime(topic, q);
            long max = store.maxOffsetInQueue(topic, q);
            span.maxTimeStamp = max > 0 ? store.storeTime(topic, q, max - 1) : -1;
            long consumed = this.offsets.query(group, topic, q);
            span.consumeTimeStamp = consumed > 0 ? store.storeTime(topic, q, consumed - 1) : span.minTimeStamp;
            if (consumed >= 0 && consumed < max) {
                long next = store.storeTime(topic, q, consumed);
                span.delayTime = next > 0 ? now - next : 0;
            }
            body.consumeTimeSpanSet.add(span);
        }
        return ok(req, body);
    }

    /**
     * Per queue, the lowest offset any group other than {@code filterGroups} committed (still inside the queue);
     * where {@code compareGroup} is behind that, Long.MAX_VALUE (no correction needed).
     */
    public Future<RemotingCommand> correctionOffset(RemotingChannel conn, RemotingCommand req) {
        String topic = req.required("topic");
        String compareGroup = req.required("compareGroup");
        Set<String> filtered = new HashSet<>();
        String filterGroups = req.ext("filterGroups");
        if (filterGroups != null && !filterGroups.isBlank()) {
            for (String g : filterGroups.split(",")) {
                filtered.add(g.trim());
            }
        }
        QueryCorrectionOffsetBody body = new QueryCorrectionOffsetBody();
        for (String group : this.offsets.groupsOf(topic)) {
            if (filtered.contains(group)) {
                continue;
            }
            this.offsets.queryAll(group, topic).forEach((queueId, offset) -> {
                if (offset >= store.minOffsetInQueue(topic, queueId)) {
                    body.correctionOffsets.merge(queueId, offset, Math::min);
                }
            });
        }
        this.offsets.queryAll(compareGroup, topic).forEach((queueId, compare) -> {
            Long min = body.correctionOffsets.get(queueId);
            if (min != null && min > compare) {
                body.correctionOffsets.put(queueId, Long.MAX_VALUE);
            }
        });
        return ok(req, body);
    }

    public Future<RemotingCommand> cloneGroupOffset(RemotingChannel conn, RemotingCommand req) {
        String src = req.required("srcGroup");
        String dest = req.required("destGroup");
        String topic = req.ext("topic");
        boolean offline = req.extBool("offline");
        Set<String> topics = topic == null || topic.isBlank() ? this.offsets.topicsOf(src) : Set.of(topic);
        ConsumerGroupInfo online = consumers.group(src);
        for (String t : topics) {
            if (this.topics.get(t) == null) {
                continue;
            }
            // an online source group that no longer subscribes to the topic has stale offsets there
            if (!offline && online != null && !online.subscriptions().isEmpty() && online.subscription(t) == null) {
                continue;
            }
            Map<Integer, Long> offsets = this.offsets.queryAll(src, t);
            if (!offsets.isEmpty()) {
                new ConcurrentHashMap<>(offsets).forEach((q, o) -> this.offsets.commit(dest, t, q, o));
            }
        }
        return Future.succeededFuture(RemotingCommand.successTo(req));
    }

    private static Future<RemotingCommand> ok(RemotingCommand req, Object body) {
        return Future.succeededFuture(RemotingCommand.successTo(req).body(Json.toBytes(body)));
    }
}

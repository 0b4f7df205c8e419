package io.tern.broker.relay;

import io.tern.broker.BrokerConfig;
import io.tern.broker.client.ClientChannel;
import io.tern.broker.client.ConsumerGroupInfo;
import io.tern.broker.client.ConsumerRegistry;
import io.tern.broker.config.ConsumerOffsetManager;
import io.tern.broker.config.SubscriptionGroupManager;
import io.tern.broker.config.TopicConfigManager;
import io.tern.common.Json;
import io.tern.common.protocol.MessageQueue;
import io.tern.common.protocol.TopicConfig;
import io.tern.remoting.RemotingChannel;
import io.tern.remoting.protocol.RemotingCommand;
import io.tern.remoting.protocol.RequestCode;
import io.tern.remoting.protocol.ResponseCode;
import io.tern.store.MessageStore;
import io.vertx.core.Future;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * INVOKE_BROKER_TO_RESET_OFFSET (222), spec 3.5.4 / 3.7 ("resetOffsetByTime"): moves a group's offsets of a topic
 * to the first message stored at or after {@code timestamp} in each queue (RocketMQ 5's boundary; −1 = the
 * queue's end), for every write queue or only {@code queueId} when it is given (5.x), or to an explicit
 * {@code offset} for that one queue.
 *
 * <p>The broker commits the new offsets itself, as RocketMQ 5 does ({@code useServerSideResetOffset}), so the reset
 * works whether or not a consumer is online, and for a group that exists but never committed; then it sends
 * RESET_CONSUMER_CLIENT_OFFSET (220, oneway) to every online consumer of the group, which drops what it has
 * buffered and continues from there (4.x and 5.x remoting clients; without it they would commit their old
 * positions over the reset). Without {@code isForce} a committed offset already lower than the target stays
 * (4.x's rule; mqadmin sends force by default). A group is known when it has a subscription config, committed
 * offsets or online consumers; otherwise SUBSCRIPTION_GROUP_NOT_EXIST.
 *
 * <p>Runs on the event loop: offset look-ups read mapped pages, the relays are oneway writes.
 */
public final class ResetOffsetProcessor {
    private final BrokerConfig config;
    private final MessageStore store;
    private final TopicConfigManager topics;
    private final SubscriptionGroupManager groups;
    private final ConsumerOffsetManager offsets;
    private final ConsumerRegistry consumers;

    public ResetOffsetProcessor(BrokerConfig config, MessageStore store, TopicConfigManager topics,
                                SubscriptionGroupManager groups, ConsumerOffsetManager offsets,
                                ConsumerRegistry consumers) {
        this.config = config;
        this.store = store;
        this.topics = topics;
        this.groups = groups;
        this.offsets = offsets;
        this.consumers = consumers;
    }

    /** Body of 222's answer and of 220: {@code {"offsetTable":{<MessageQueue>:offset}}}. */
    public static final class ResetOffsetBody {
        public Map<MessageQueue, Long> offsetTable = new TreeMap<>();
    }

    public Future<RemotingCommand> process(RemotingChannel conn, RemotingCommand req) {
        String topic = req.required("topic");
        String group = req.required("group");
        long timestamp = req.requiredLong("timestamp");
        boolean force = req.extBool("isForce");
        int onlyQueue = req.extInt("queueId", -1);
        long explicitOffset = req.extLong("offset", -1);
        TopicConfig tc = topics.get(topic);
        if (tc == null) {
            return answer(req, ResponseCode.TOPIC_NOT_EXIST,
                    "[reset-offset] reset offset failed, no topic in this broker. topic=" + topic);
        }
        ConsumerGroupInfo info = consumers.group(group);
        List<ClientChannel> channels = info == null ? List.of() : info.channels();
        if (!config.brokerRole.isMaster()) {
            return answer(req, ResponseCode.SYSTEM_ERROR, "Can not reset offset in slave broker");
        }
        if (groups.get(group) == null && channels.isEmpty() && offsets.topicsOf(group).isEmpty()) {
            return answer(req, ResponseCode.SUBSCRIPTION_GROUP_NOT_EXIST, "Group " + group + " does not exist");
        }
        if (onlyQueue >= tc.writeQueueNums) {
            return answer(req, ResponseCode.SYSTEM_ERROR, "queueId " + onlyQueue + " is not a queue of " + topic
                    + " (" + tc.writeQueueNums + " queues)");
        }
        ResetOffsetBody body = new ResetOffsetBody();
        for (int q = onlyQueue >= 0 ? onlyQueue : 0; q < (onlyQueue >= 0 ? onlyQueue + 1 : tc.writeQueueNums); q++) {
            long target;
            if (onlyQueue >= 0 && explicitOffset >= 0) {
                long min = store.minOffsetInQueue(topic, q);
                long max = store.maxOffsetInQueue(topic, q);
                if (explicitOffset < min || explicitOffset > max) {
                    return answer(req, ResponseCode.SYSTEM_ERROR, "Target offset " + explicitOffset
                            + " not in consume queue range [" + min + "-" + max + "]");
                }
                target = explicitOffset;
            } else {
                target = timestamp < 0 ? store.maxOffsetInQueue(topic, q) : store.offsetInQueueByTime(topic, q, timestamp);
            }
            target = Math.max(0, target);
            long committed = offsets.query(group, topic, q);
            body.offsetTable.put(new MessageQueue(topic, config.brokerName, q),
                    force || committed < 0 || target < committed ? target : committed);
        }
        body.offsetTable.forEach((mq, offset) -> offsets.commit(group, topic, mq.queueId, offset));
        byte[] bytes = Json.toBytes(body);
        for (ClientChannel c : channels) {
            c.connection.oneway(RemotingCommand.onewayRequest(RequestCode.RESET_CONSUMER_CLIENT_OFFSET)
                    .put("topic", topic).put("group", group).put("timestamp", timestamp).put("isForce", force)
                    .body(bytes));
        }
        return Future.succeededFuture(RemotingCommand.successTo(req).body(bytes));
    }

    private static Future<RemotingCommand> answer(RemotingCommand req, int code, String remark) {
        return Future.succeededFuture(RemotingCommand.responseTo(req, code, remark));
    }
}

package io.tern.broker.pull;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.tern.broker.BrokerAddress;
import io.tern.broker.BrokerConfig;
import io.tern.broker.BrokerStats;
import io.tern.broker.client.ConsumerGroupInfo;
import io.tern.broker.client.ConsumerRegistry;
import io.tern.broker.config.ConsumerOffsetManager;
import io.tern.broker.config.SubscriptionGroupConfig;
import io.tern.broker.config.SubscriptionGroupManager;
import io.tern.broker.config.TopicConfigManager;
import io.tern.broker.filter.SqlMessageFilter;
import io.tern.broker.metrics.TrafficMeters;
import io.tern.common.message.PullSysFlag;
import io.tern.common.protocol.PermName;
import io.tern.common.protocol.SubscriptionData;
import io.tern.common.protocol.TopicConfig;
import io.tern.remoting.RemotingChannel;
import io.tern.remoting.protocol.RemotingCommand;
import io.tern.remoting.protocol.ResponseCode;
import io.tern.store.GetResult;
import io.tern.store.GetResult.GetStatus;
import io.tern.store.MessageFilter;
import io.tern.common.message.StoredRecordLayout;
import io.tern.store.MessageStore;
import io.tern.broker.ha.SlaveReadAdvisor;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.internal.buffer.BufferInternal;
import java.nio.ByteBuffer;
import java.util.Set;

/**
 * PULL_MESSAGE (11) and LITE_PULL_MESSAGE (361), spec 3.4.1: checks in the reference's order, the read, and long
 * polling — a pull that finds nothing at the end of its queue is parked in the {@link PullHoldTable} (no answer
 * yet) and re-executed when a matching message arrives or its hold time ends.
 *
 * <p>Runs on the connection's event loop; store reads do not block.
 */
public final class PullMessageProcessor {
    private final Vertx vertx;
    private final BrokerConfig config;
    private final BrokerAddress address;
    private final MessageStore store;
    private final TopicConfigManager topics;
    private final SubscriptionGroupManager groups;
    private final ConsumerOffsetManager offsets;
    private final ConsumerRegistry consumers;
    private final PullHoldTable holds;
    private final BrokerStats stats;
    private final TrafficMeters traffic;
    private final SlaveReadAdvisor readAdvisor;
    private final OffsetMovedEvents offsetMoved;

    public PullMessageProcessor(Vertx vertx, BrokerConfig config, BrokerAddress address, MessageStore store,
                                TopicConfigManager topics, SubscriptionGroupManager groups,
                                ConsumerOffsetManager offsets, ConsumerRegistry consumers, PullHoldTable holds,
                                BrokerStats stats, TrafficMeters traffic, SlaveReadAdvisor readAdvisor) {
        this.vertx = vertx;
        this.config = config;
        this.address = address;
        this.store = store;
        this.topics = topics;
        this.groups = groups;
        this.offsets = offsets;
        this.consumers = consumers;
        this.holds = holds;
        this.stats = stats;
        this.traffic = traffic;
        this.readAdvisor = readAdvisor;
        this.offsetMoved = new OffsetMovedEvents(config, address, store, topics);
        holds.onWake(this::onWake);
    }

    public Future<RemotingCommand> process(RemotingChannel conn, RemotingCommand req) {
        if (!PermName.isReadable(config.brokerPermission)) {
            return error(req, ResponseCode.NO_PERMISSION,
                    "the broker[" + address.hostPort() + "] pulling message is forbidden");
        }
        String group = req.required("consumerGroup");
        String topic = req.required("topic");
        int queueId = req.requiredInt("queueId");
        long queueOffset = req.requiredLong("queueOffset");
        int maxMsgNums = req.requiredInt("maxMsgNums");
        int sysFlag = req.requiredInt("sysFlag");

        SubscriptionGroupConfig gc = groups.findOrCreate(group);
        if (gc == null) {
            return error(req, ResponseCode.SUBSCRIPTION_GROUP_NOT_EXIST, "subscription group [" + group
                    + "] does not exist");
        }
        if (!gc.consumeEnable) {
            return error(req, ResponseCode.NO_PERMISSION, "subscription group no permission, " + group);
        }
        TopicConfig tc = topics.get(topic);
        if (tc == null) {
            return error(req, ResponseCode.TOPIC_NOT_EXIST, "topic[" + topic + "] not exist, apply first please!");
        }
        if (!PermName.isReadable(tc.perm)) {
            return error(req, ResponseCode.NO_PERMISSION, "the topic[" + topic + "] pulling message is forbidden");
        }
        if (queueId < 0 || queueId >= tc.readQueueNums) {
            return error(req, ResponseCode.SYSTEM_ERROR, "queueId[" + queueId + "] is illegal, topic:[" + topic
                    + "] topicConfig.readQueueNums:[" + tc.readQueueNums + "] consumer:[" + conn.remoteAddress() + "]");
        }
        String type;
        String expression;
        SubscriptionData sub = null;
        if (PullSysFlag.has(sysFlag, PullSysFlag.SUBSCRIPTION)) {
            type = req.ext("expressionType");
            expression = req.ext("subscription");
        } else {
            ConsumerGroupInfo info = consumers.group(group);
            sub = info == null ? null : info.subscription(topic);
            // lenient: the client may pull before its heartbeat arrived; the topic exists, so read everything and
            // let the client re-filter by tag (spec 7.5 item 15)
            type = sub == null ? SubscriptionData.TAG : sub.expressionType;
            expression = sub == null ? SubscriptionData.SUB_ALL : sub.subString;
        }
        MessageFilter filter;
        if (type == null || SubscriptionData.TAG.equals(type)) {
            filter = filterOf(sub != null ? sub : SubscriptionData.ofTags(topic, expression));
        } else if (SubscriptionData.SQL92.equals(type) && config.enablePropertyFilter) {
            try {
                filter = SqlMessageFilter.of(expression);
            } catch (IllegalArgumentException e) {
                return error(req, ResponseCode.SUBSCRIPTION_PARSE_FAILED, "parse the consumer's subscription failed: "
                        + e.getMessage());
            }
        } else {
            return error(req, ResponseCode.SYSTEM_ERROR, "The broker does not support consumer to filter message by "
                    + type);
        }
        long commitOffset = req.extLong("commitOffset", -1);
        if (PullSysFlag.has(sysFlag, PullSysFlag.COMMIT_OFFSET) && commitOffset >= 0) {
            offsets.commit(group, topic, queueId, commitOffset);
        }
        int maxBytes = config.maxPullBytes;
        String clientMaxBytes = req.ext("maxMsgBytes");
        if (clientMaxBytes != null) {
            int asked = req.extInt("maxMsgBytes", maxBytes);
            if (asked > 0) {
                maxBytes = Math.min(maxBytes, asked);
            }
        }
        PullRequest pull = new PullRequest(conn, req, group, topic, queueId, queueOffset, Math.max(1, maxMsgNums),
                maxBytes, filter);
        GetResult result = read(pull);
        if (PullSysFlag.has(sysFlag, PullSysFlag.SUSPEND) && isAtQueueEnd(pull, result)) {
            long suspendMs = config.longPollingEnable
                    ? Math.min(Math.max(0, req.extLong("suspendTimeoutMillis", 0)), config.maxPullSuspendMs)
                    : config.shortPollingMs;
            if (suspendMs > 0) {
                pull.deadlineMs = System.currentTimeMillis() + suspendMs;
                park(pull);
                return pull.response.future();
            }
        }
        return Future.succeededFuture(respond(pull, result));
    }

    static MessageFilter filterOf(SubscriptionData sub) {
        if (sub.matchesAll() || sub.codeSet == null || sub.codeSet.isEmpty()) {
            return MessageFilter.ALL;
        }
        Set<Integer> codes = Set.copyOf(sub.codeSet);
        return tagsCode -> codes.contains((int) tagsCode);
    }

    private GetResult read(PullRequest pull) {
        return store.get(pull.topic, pull.queueId, pull.queueOffset, pull.maxMsgNums, pull.maxBytes, pull.filter);
    }

    /** Only a pull that reached the end of its queue waits; anything else is answered at once. */
    private static boolean isAtQueueEnd(PullRequest pull, GetResult r) {
        return r.status() == GetStatus.OFFSET_OVERFLOW_ONE
                || ((r.status() == GetStatus.NO_MESSAGE_IN_QUEUE || r.status() == GetStatus.NO_MATCHED_LOGIC_QUEUE)
                    && pull.queueOffset == 0);
    }

    private void park(PullRequest pull) {
        holds.park(pull, this::answerNow);
        // a message dispatched between our read and the park found no one waiting: look again, and answer
        // whatever the read gives (never re-park from here, so a lagging queue cannot make us spin)
        if (store.maxOffsetInQueue(pull.topic, pull.queueId) > pull.queueOffset && holds.unpark(pull)) {
            vertx.cancelTimer(pull.timerId);
            answerNow(pull);
        }
    }

    /** On the request's event loop, after an arrival took it out of the hold table. */
    private void onWake(PullRequest pull) {
        if (pull.connection.isClosed()) {
            vertx.cancelTimer(pull.timerId);
            return;
        }
        GetResult result = read(pull);
        if (isAtQueueEnd(pull, result) && !pull.timerFired && System.currentTimeMillis() < pull.deadlineMs) {
            park(pull);
            return;
        }
        vertx.cancelTimer(pull.timerId);
        pull.response.tryComplete(respond(pull, result));
    }

    /** Hold time over: read once more and answer whatever there is (19 with the requested offset if nothing). */
    private void answerNow(PullRequest pull) {
        if (pull.connection.isClosed()) {
            return;
        }
        pull.response.tryComplete(respond(pull, read(pull)));
    }

    private RemotingCommand respond(PullRequest pull, GetResult r) {
        int code = switch (r.status()) {
            case FOUND -> ResponseCode.SUCCESS;
            case NO_MATCHED_MESSAGE, MESSAGE_WAS_REMOVING -> ResponseCode.PULL_RETRY_IMMEDIATELY;
            case NO_MESSAGE_IN_QUEUE, NO_MATCHED_LOGIC_QUEUE -> pull.queueOffset == 0
                    ? ResponseCode.PULL_NOT_FOUND : ResponseCode.PULL_OFFSET_MOVED;
            case OFFSET_FOUND_NULL, OFFSET_OVERFLOW_ONE -> ResponseCode.PULL_NOT_FOUND;
            case OFFSET_TOO_SMALL, OFFSET_OVERFLOW_BADLY -> ResponseCode.PULL_OFFSET_MOVED;
        };
        long next = r.status() == GetStatus.OFFSET_OVERFLOW_ONE ? pull.queueOffset : r.nextBeginOffset();
        if (code == ResponseCode.PULL_OFFSET_MOVED) {
            offsetMoved.moved(pull.group, pull.topic, pull.queueId, pull.queueOffset, next);
        }
        RemotingCommand resp = RemotingCommand.responseTo(pull.command, code, r.status().name())
                .put("nextBeginOffset", next)
                .put("minOffset", r.minOffset())
                .put("maxOffset", r.maxOffset());
        long suggest = 0;
        if (code == ResponseCode.SUCCESS && r.messages() != null && !r.messages().isEmpty()) {
            ByteBuffer last = r.messages().get(r.messages().size() - 1);
            suggest = readAdvisor.suggest(store.replicaLog().maxOffset(),
                    last.getLong(last.position() + StoredRecordLayout.PHYSICAL_OFFSET_OFFSET));
            ByteBuf body = Unpooled.wrappedBuffer(r.messages().toArray(new ByteBuffer[0]));
            resp.body(BufferInternal.buffer(body));
            stats.messagesGot.add(r.messages().size());
            traffic.pulled(pull.topic, pull.group, r.messages().size());
        }
        return resp.put("suggestWhichBrokerId", suggest);
    }

    private static Future<RemotingCommand> error(RemotingCommand req, int code, String remark) {
        return Future.succeededFuture(RemotingCommand.responseTo(req, code, remark));
    }
}

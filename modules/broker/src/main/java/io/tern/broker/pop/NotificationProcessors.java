package io.tern.broker.pop;

import io.tern.broker.config.SubscriptionGroupManager;
import io.tern.broker.config.TopicConfigManager;
import io.tern.common.protocol.TopicConfig;
import io.tern.remoting.RemotingChannel;
import io.tern.remoting.protocol.RemotingCommand;
import io.tern.remoting.protocol.ResponseCode;
import io.tern.store.MessageFilter;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.List;

/**
 * NOTIFICATION (200054): whether a pop of the group would find a message, waiting up to {@code pollTime} for one
 * to arrive (the same {@link PopPolling} as a pop); POLLING_INFO (200055): how many pops of the group wait on the
 * topic queue. Both on the event loop.
 */
final class NotificationProcessors {
    private static final long MAX_POLL_MS = 60_000;

    private final TopicConfigManager topics;
    private final SubscriptionGroupManager groups;
    private final PopMessageProcessor pops;
    private final PopPolling polling;

    NotificationProcessors(TopicConfigManager topics, SubscriptionGroupManager groups, PopMessageProcessor pops,
                           PopPolling polling) {
        this.topics = topics;
        this.groups = groups;
        this.pops = pops;
        this.polling = polling;
    }

    Future<RemotingCommand> notification(RemotingChannel conn, RemotingCommand req) {
        String group = req.required("consumerGroup");
        String topic = req.required("topic");
        int queueId = req.requiredInt("queueId");
        long pollTime = Math.min(MAX_POLL_MS, Math.max(0, req.extLong("pollTime", 0)));
        boolean order = Boolean.parseBoolean(req.ext("order"));
        RemotingCommand invalid = check(req, group, topic, queueId);
        if (invalid != null) {
            return Future.succeededFuture(invalid);
        }
        List<PopPolling.Watched> queues = pops.watchedBy(group, topic, queueId, order);
        if (pops.hasMessages(group, queues, order) || pollTime == 0) {
            return Future.succeededFuture(answer(req, pops.hasMessages(group, queues, order), false));
        }
        Promise<RemotingCommand> response = Promise.promise();
        PopPolling.Poll poll = polling.park(conn, PopPolling.key(topic, group, queueId), queues, MessageFilter.ALL,
                System.currentTimeMillis() + pollTime,
                () -> response.tryComplete(answer(req, true, false)),
                () -> response.tryComplete(answer(req, pops.hasMessages(group, queues, order), false)));
        if (poll == null) {
            return Future.succeededFuture(answer(req, false, true));
        }
        if (pops.hasMessages(group, queues, order)) {
            poll.wakeNow();
        }
        return response.future();
    }

    Future<RemotingCommand> pollingInfo(RemotingChannel conn, RemotingCommand req) {
        String group = req.required("consumerGroup");
        String topic = req.required("topic");
        int queueId = req.requiredInt("queueId");
        RemotingCommand invalid = check(req, group, topic, queueId);
        if (invalid != null) {
            return Future.succeededFuture(invalid);
        }
        return Future.succeededFuture(RemotingCommand.successTo(req)
                .put("pollingNum", polling.parked(topic, group, queueId)));
    }

    private RemotingCommand check(RemotingCommand req, String group, String topic, int queueId) {
        TopicConfig tc = topics.get(topic);
        if (tc == null) {
            return RemotingCommand.responseTo(req, ResponseCode.TOPIC_NOT_EXIST, "topic[" + topic + "] not exist");
        }
        if (queueId >= tc.readQueueNums || queueId < -1) {
            return RemotingCommand.responseTo(req, ResponseCode.INVALID_PARAMETER, "queueId[" + queueId
                    + "] is illegal, topic:[" + topic + "] topicConfig.readQueueNums:[" + tc.readQueueNums + "]");
        }
        if (groups.get(group) == null && groups.findOrCreate(group) == null) {
            return RemotingCommand.responseTo(req, ResponseCode.SUBSCRIPTION_GROUP_NOT_EXIST,
                    "subscription group [" + group + "] does not exist");
        }
        return null;
    }

    private static RemotingCommand answer(RemotingCommand req, boolean hasMsg, boolean pollingFull) {
        return RemotingCommand.successTo(req).put("hasMsg", hasMsg).put("pollingFull", pollingFull);
    }
}

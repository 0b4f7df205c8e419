package io.tern.broker.admin;

import io.tern.broker.BrokerConfig;
import io.tern.broker.config.TopicConfigManager;
import io.tern.common.Json;
import io.tern.common.protocol.AdminBodies;
import io.tern.common.protocol.MessageQueue;
import io.tern.common.protocol.SystemNames;
import io.tern.common.protocol.TopicConfig;
import io.tern.common.protocol.TopicValidator;
import io.tern.remoting.RemotingChannel;
import io.tern.remoting.protocol.RemotingCommand;
import io.tern.remoting.protocol.ResponseCode;
import io.tern.store.MessageStore;
import io.vertx.core.Future;

/**
 * Topic administration (spec 3.7): UPDATE_AND_CREATE_TOPIC (17), DELETE_TOPIC_IN_BROKER (215, blocking: deletes
 * consume-queue files), GET_ALL_TOPIC_CONFIG (21), GET_TOPIC_STATS_INFO (202),
 * GET_SYSTEM_TOPIC_LIST_FROM_BROKER (305).
 */
public final class TopicAdminProcessors {
    private final BrokerConfig config;
    private final MessageStore store;
    private final TopicConfigManager topics;

    public TopicAdminProcessors(BrokerConfig config, MessageStore store, TopicConfigManager topics) {
        this.config = config;
        this.store = store;
        this.topics = topics;
    }

    public Future<RemotingCommand> createTopic(RemotingChannel conn, RemotingCommand req) {
        String topic = req.required("topic");
        String invalid = TopicValidator.validate(topic);
        if (invalid != null) {
            return error(req, invalid);
        }
        if (topic.equals(config.clusterName) || TopicValidator.isSystemTopic(topic)) {
            return error(req, "The topic[" + topic + "] is conflict with system topic.");
        }
        if (config.brokerId != 0) {
            return error(req, "Can't modify topic on slave broker");
        }
        TopicConfig tc = new TopicConfig(topic, req.requiredInt("readQueueNums"), req.requiredInt("writeQueueNums"),
                req.requiredInt("perm"));
        if (tc.readQueueNums <= 0 || tc.writeQueueNums <= 0 || tc.readQueueNums > 1024 || tc.writeQueueNums > 1024) {
            return error(req, "queue numbers must be within 1..1024");
        }
        String filterType = req.ext("topicFilterType");
        tc.topicFilterType = TopicConfig.MULTI_TAG.equals(filterType) ? TopicConfig.MULTI_TAG : TopicConfig.SINGLE_TAG;
        tc.topicSysFlag = req.extInt("topicSysFlag", 0);
        tc.order = req.extBool("order");
        // answer once the nameservers know the topic, as the reference does (its registration is synchronous)
        return topics.update(tc).map(v -> RemotingCommand.successTo(req));
    }

    /** Registered as blocking: the store deletes consume-queue files. */
    public Future<RemotingCommand> deleteTopic(RemotingChannel conn, RemotingCommand req) {
        String topic = req.required("topic");
        if (TopicValidator.isSystemTopic(topic) || topic.equals(config.clusterName)
                || topic.equals(config.brokerName)) {
            return error(req, "The topic[" + topic + "] is conflict with system topic.");
        }
        if (config.brokerId != 0) {
            return error(req, "Can't delete topic on slave broker");
        }
        topics.delete(topic);
        store.deleteTopic(topic);
        return Future.succeededFuture(RemotingCommand.successTo(req));
    }

    public Future<RemotingCommand> allTopicConfig(RemotingChannel conn, RemotingCommand req) {
        return Future.succeededFuture(RemotingCommand.successTo(req).body(topics.encode()));
    }

    public Future<RemotingCommand> topicStats(RemotingChannel conn, RemotingCommand req) {
        String topic = req.required("topic");
        TopicConfig tc = topics.get(topic);
        if (tc == null) {
            return Future.succeededFuture(RemotingCommand.responseTo(req, ResponseCode.TOPIC_NOT_EXIST,
                    "topic[" + topic + "] not exist"));
        }
        AdminBodies.TopicStatsTable table = new AdminBodies.TopicStatsTable();
        for (int q = 0; q < tc.writeQueueNums; q++) {
            AdminBodies.TopicOffset o = new AdminBodies.TopicOffset();
            o.minOffset = Math.max(0, store.minOffsetInQueue(topic, q));
            o.maxOffset = Math.max(0, store.maxOffsetInQueue(topic, q));
            o.lastUpdateTimestamp = o.maxOffset > 0 ? Math.max(0, store.storeTime(topic, q, o.maxOffset - 1)) : 0;
            table.offsetTable.put(new MessageQueue(topic, config.brokerName, q), o);
        }
        return Future.succeededFuture(RemotingCommand.successTo(req).body(Json.toBytes(table)));
    }

    public Future<RemotingCommand> systemTopics(RemotingChannel conn, RemotingCommand req) {
        AdminBodies.TopicList list = new AdminBodies.TopicList();
        for (String t : topics.all().keySet()) {
            if (TopicValidator.isSystemTopic(t) || t.equals(config.clusterName)
                    || t.equals(config.brokerName) || SystemNames.BENCHMARK_TOPIC.equals(t)
                    || t.endsWith(SystemNames.REPLY_TOPIC_SUFFIX)) {
                list.topicList.add(t);
            }
        }
        return Future.succeededFuture(RemotingCommand.successTo(req).body(Json.toBytes(list)));
    }

    private static Future<RemotingCommand> error(RemotingCommand req, String remark) {
        return Future.succeededFuture(RemotingCommand.responseTo(req, ResponseCode.SYSTEM_ERROR, remark));
    }
}

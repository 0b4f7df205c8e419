package io.tern.broker.admin;

import io.tern.broker.BrokerConfig;
import io.tern.broker.client.ClientChannel;
import io.tern.broker.client.ConsumerGroupInfo;
import io.tern.broker.client.ConsumerRegistry;
import io.tern.broker.client.ProducerRegistry;
import io.tern.broker.config.ConsumerOffsetManager;
import io.tern.broker.config.SubscriptionGroupConfig;
import io.tern.broker.config.SubscriptionGroupManager;
import io.tern.broker.config.TopicConfigManager;
import io.tern.broker.metrics.ConsumeRates;
import io.tern.common.Json;
import io.tern.common.protocol.AdminBodies;
import io.tern.common.protocol.MessageQueue;
import io.tern.common.protocol.TopicConfig;
import io.tern.remoting.RemotingChannel;
import io.tern.remoting.protocol.RemotingCommand;
import io.tern.remoting.protocol.RemotingProtocolException;
import io.tern.remoting.protocol.ResponseCode;
import io.tern.store.MessageStore;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Consumer and producer group administration (spec 3.7): GET_CONSUME_STATS (208),
 * GET_CONSUMER_CONNECTION_LIST (203), GET_PRODUCER_CONNECTION_LIST (204), GET_ALL_PRODUCER_INFO (328),
 * QUERY_TOPIC_CONSUME_BY_WHO (300), GET_ALL_CONSUMER_OFFSET (43), UPDATE_AND_CREATE_SUBSCRIPTIONGROUP (200),
 * GET_ALL_SUBSCRIPTIONGROUP_CONFIG (201), DELETE_SUBSCRIPTIONGROUP (207). In-memory only: event loop.
 */
public final class GroupAdminProcessors {
    private final BrokerConfig config;
    private final MessageStore store;
    private final TopicConfigManager topics;
    private final SubscriptionGroupManager groups;
    private final ConsumerOffsetManager offsets;
    private final ConsumerRegistry consumers;
    private final ProducerRegistry producers;
    private final ConsumeRates rates;

    public GroupAdminProcessors(BrokerConfig config, MessageStore store, TopicConfigManager topics,
                                SubscriptionGroupManager groups, ConsumerOffsetManager offsets,
                                ConsumerRegistry consumers, ProducerRegistry producers, ConsumeRates rates) {
        this.config = config;
        this.store = store;
        this.topics = topics;
        this.groups = groups;
        this.offsets = offsets;
        this.consumers = consumers;
        this.producers = producers;
        this.rates = rates;
    }

    public Future<RemotingCommand> consumeStats(RemotingChannel conn, RemotingCommand req) {
        String group = req.required("consumerGroup");
        String topic = req.ext("topic");
        Set<String> topics = topic == null || topic.isEmpty() ? offsets.topicsOf(group) : Set.of(topic);
        AdminBodies.ConsumeStats stats = new AdminBodies.ConsumeStats();
        for (String t : topics) {
            TopicConfig tc = this.topics.get(t);
            if (tc == null) {
                continue;
            }
            // messages per second the group pulled from the topic over the last minute, as RocketMQ reports it
            stats.consumeTps += rates.tps(t, group);
            for (int q = 0; q < tc.readQueueNums; q++) {
                AdminBodies.OffsetWrapper w = new AdminBodies.OffsetWrapper();
                w.brokerOffset = Math.max(0, store.maxOffsetInQueue(t, q));
                w.consumerOffset = Math.max(0, offsets.query(group, t, q));
                w.lastTimestamp = w.consumerOffset > 0
                        ? Math.max(0, store.storeTime(t, q, w.consumerOffset - 1)) : 0;
                stats.offsetTable.put(new MessageQueue(t, this.config.brokerName, q), w);
            }
        }
        return ok(req, stats);
    }

    public Future<RemotingCommand> consumerConnections(RemotingChannel conn, RemotingCommand req) {
        String group = req.required("consumerGroup");
        ConsumerGroupInfo info = consumers.group(group);
        List<ClientChannel> channels = info == null ? List.of() : info.channels();
        if (channels.isEmpty()) {
            return Future.succeededFuture(RemotingCommand.responseTo(req, ResponseCode.CONSUMER_NOT_ONLINE,
                    "the consumer group[" + group + "] not online"));
        }
        AdminBodies.ConsumerConnection body = new AdminBodies.ConsumerConnection();
        for (ClientChannel c : channels) {
            body.connectionSet.add(connection(c));
        }
        body.subscriptionTable.putAll(info.subscriptions());
        body.consumeType = info.consumeType();
        body.messageModel = info.messageModel();
        body.consumeFromWhere = info.consumeFromWhere();
        return ok(req, body);
    }

    public Future<RemotingCommand> producerConnections(RemotingChannel conn, RemotingCommand req) {
        String group = req.required("producerGroup");
        List<ClientChannel> channels = producers.channels(group);
        if (channels.isEmpty()) {
            return Future.succeededFuture(RemotingCommand.responseTo(req, ResponseCode.SYSTEM_ERROR,
                    "the producer group[" + group + "] not exist"));
        }
        AdminBodies.ProducerConnection body = new AdminBodies.ProducerConnection();
        for (ClientChannel c : channels) {
            body.connectionSet.add(connection(c));
        }
        return ok(req, body);
    }

    public Future<RemotingCommand> allProducers(RemotingChannel conn, RemotingCommand req) {
        AdminBodies.ProducerTableInfo body = new AdminBodies.ProducerTableInfo();
        producers.all().forEach((group, members) -> {
            List<AdminBodies.ProducerInfo> infos = new ArrayList<>();
            for (ClientChannel c : members.values()) {
                AdminBodies.ProducerInfo p = new AdminBodies.ProducerInfo();
                p.clientId = c.clientId;
                p.remoteIP = c.connection.remoteAddress();
                p.language = c.language;
                p.version = c.version;
                p.lastUpdateTimestamp = c.lastUpdateMs();
                infos.add(p);
            }
            body.data.put(group, infos);
        });
        return ok(req, body);
    }

    public Future<RemotingCommand> topicConsumedByWho(RemotingChannel conn, RemotingCommand req) {
        String topic = req.required("topic");
        AdminBodies.GroupList body = new AdminBodies.GroupList();
        for (ConsumerGroupInfo info : consumers.all().values()) {
            if (info.subscription(topic) != null) {
                body.groupList.add(info.groupName);
            }
        }
        body.groupList.addAll(offsets.groupsOf(topic));
        return ok(req, body);
    }

    public Future<RemotingCommand> allConsumerOffsets(RemotingChannel conn, RemotingCommand req) {
        return Future.succeededFuture(RemotingCommand.successTo(req).body(offsets.encode()));
    }

    public Future<RemotingCommand> updateGroup(RemotingChannel conn, RemotingCommand req) {
        byte[] body = req.bodyBytes();
        if (body == null) {
            throw new RemotingProtocolException("UPDATE_AND_CREATE_SUBSCRIPTIONGROUP without body");
        }
        SubscriptionGroupConfig config = Json.fromBytes(body, SubscriptionGroupConfig.class);
        if (config.groupName == null || config.groupName.isBlank()) {
            throw new RemotingProtocolException("subscription group without groupName");
        }
        groups.update(config);
        return Future.succeededFuture(RemotingCommand.successTo(req));
    }

    public Future<RemotingCommand> allGroups(RemotingChannel conn, RemotingCommand req) {
        return Future.succeededFuture(RemotingCommand.successTo(req).body(groups.encode()));
    }

    public Future<RemotingCommand> deleteGroup(RemotingChannel conn, RemotingCommand req) {
        String group = req.required("groupName");
        groups.delete(group);
        // like 4.9: the retry and dead-letter topics of the group stay
        if (req.extBool("removeOffset")) {
            for (String t : offsets.topicsOf(group)) {
                offsets.all().remove(t + "@" + group);
            }
        }
        return Future.succeededFuture(RemotingCommand.successTo(req));
    }

    private static AdminBodies.Connection connection(ClientChannel c) {
        AdminBodies.Connection k = new AdminBodies.Connection();
        k.clientId = c.clientId;
        k.clientAddr = c.connection.remoteAddress();
        k.language = c.language;
        k.version = c.version;
        return k;
    }

    private static Future<RemotingCommand> ok(RemotingCommand req, Object body) {
        return Future.succeededFuture(RemotingCommand.successTo(req).body(Json.toBytes(body)));
    }
}

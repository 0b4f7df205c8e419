package io.tern.broker.client;

import io.tern.broker.BrokerConfig;
import io.tern.broker.config.SubscriptionGroupConfig;
import io.tern.broker.config.SubscriptionGroupManager;
import io.tern.broker.config.TopicConfigManager;
import io.tern.broker.filter.SqlMessageFilter;
import io.tern.common.Json;
import io.tern.common.protocol.ConsumerData;
import io.tern.common.protocol.HeartbeatData;
import io.tern.common.protocol.PermName;
import io.tern.common.protocol.ProducerData;
import io.tern.common.protocol.SubscriptionData;
import io.tern.common.protocol.SystemNames;
import io.tern.remoting.RemotingChannel;
import io.tern.remoting.protocol.RemotingCommand;
import io.tern.remoting.protocol.RemotingProtocolException;
import io.tern.remoting.protocol.ResponseCode;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.List;

/**
 * Client registration: HEART_BEAT (34), UNREGISTER_CLIENT (35), GET_CONSUMER_LIST_BY_GROUP (38) and
 * CHECK_CLIENT_CONFIG (46), spec 3.4.5, 3.4.8, 3.5. All run on the event loop (in-memory bookkeeping only).
 */
public final class ClientProcessors {
    private final BrokerConfig config;
    private final TopicConfigManager topics;
    private final SubscriptionGroupManager groups;
    private final ConsumerRegistry consumers;
    private final ProducerRegistry producers;

    public ClientProcessors(BrokerConfig config, TopicConfigManager topics, SubscriptionGroupManager groups,
                            ConsumerRegistry consumers, ProducerRegistry producers) {
        this.config = config;
        this.topics = topics;
        this.groups = groups;
        this.consumers = consumers;
        this.producers = producers;
    }

    /** Body of GET_CONSUMER_LIST_BY_GROUP. */
    public static final class ConsumerIdList {
        public List<String> consumerIdList = new ArrayList<>();
    }

    /** Body of CHECK_CLIENT_CONFIG. */
    public static final class CheckClientRequestBody {
        public String clientId;
        public String group;
        public SubscriptionData subscriptionData;
    }

    public Future<RemotingCommand> heartbeat(RemotingChannel conn, RemotingCommand req) {
        byte[] body = req.bodyBytes();
        if (body == null || body.length == 0) {
            throw new RemotingProtocolException("heartbeat without body");
        }
        HeartbeatData hb = Json.fromBytes(body, HeartbeatData.class);
        if (hb.clientID == null) {
            throw new RemotingProtocolException("heartbeat without clientID");
        }
        long now = System.currentTimeMillis();
        ClientChannel channel = new ClientChannel(conn, hb.clientID, req.language(), req.version(), now);
        if (hb.consumerDataSet != null) {
            for (ConsumerData cd : hb.consumerDataSet) {
                if (cd == null || cd.groupName == null) {
                    continue;
                }
                SubscriptionGroupConfig group = groups.findOrCreate(cd.groupName);
                boolean notify = true;
                if (group != null) {
                    notify = group.notifyConsumerIdsChangedEnable;
                    topics.createIfAbsent(SystemNames.retryTopic(cd.groupName),
                            Math.max(1, group.retryQueueNums), PermName.PERM_READ | PermName.PERM_WRITE, 0);
                }
                List<SubscriptionData> subs = cd.subscriptionDataSet == null ? List.of()
                        : new ArrayList<>(cd.subscriptionDataSet);
                consumers.register(cd.groupName, channel, cd.consumeType, cd.messageModel,
                        cd.consumeFromWhere, subs, notify);
            }
        }
        if (hb.producerDataSet != null) {
            for (ProducerData pd : hb.producerDataSet) {
                if (pd != null && pd.groupName != null) {
                    producers.register(pd.groupName, channel);
                }
            }
        }
        // no ext fields and no body; the client reads our version from the command (spec 3.5.1)
        return Future.succeededFuture(RemotingCommand.responseTo(req, ResponseCode.SUCCESS, null));
    }

    public Future<RemotingCommand> unregister(RemotingChannel conn, RemotingCommand req) {
        String producerGroup = req.ext("producerGroup");
        String consumerGroup = req.ext("consumerGroup");
        if (producerGroup != null) {
            producers.unregister(producerGroup, conn);
        }
        if (consumerGroup != null) {
            consumers.unregister(consumerGroup, conn);
        }
        return Future.succeededFuture(RemotingCommand.successTo(req));
    }

    public Future<RemotingCommand> consumerList(RemotingChannel conn, RemotingCommand req) {
        String group = req.required("consumerGroup");
        ConsumerGroupInfo info = consumers.group(group);
        List<ClientChannel> channels = info == null ? List.of() : info.channels();
        if (channels.isEmpty()) {
            return Future.succeededFuture(RemotingCommand.responseTo(req, ResponseCode.SYSTEM_ERROR,
                    "no consumer for this group, " + group));
        }
        ConsumerIdList ids = new ConsumerIdList();
        for (ClientChannel c : channels) {
            ids.consumerIdList.add(c.clientId);
        }
        return Future.succeededFuture(RemotingCommand.successTo(req).body(Json.toBytes(ids)));
    }

    public Future<RemotingCommand> checkClientConfig(RemotingChannel conn, RemotingCommand req) {
        byte[] body = req.bodyBytes();
        CheckClientRequestBody check = body == null ? null : Json.fromBytes(body, CheckClientRequestBody.class);
        String type = check == null || check.subscriptionData == null ? null : check.subscriptionData.expressionType;
        if (type == null || SubscriptionData.TAG.equals(type)) {
            return Future.succeededFuture(RemotingCommand.successTo(req));
        }
        if (!SubscriptionData.SQL92.equals(type) || !config.enablePropertyFilter) {
            return Future.succeededFuture(RemotingCommand.responseTo(req, ResponseCode.SYSTEM_ERROR,
                    "The broker does not support consumer to filter message by " + type));
        }
        try {
            SqlMessageFilter.of(check.subscriptionData.subString);
        } catch (IllegalArgumentException e) {
            return Future.succeededFuture(RemotingCommand.responseTo(req, ResponseCode.SUBSCRIPTION_PARSE_FAILED,
                    "Parse SQL92 expression failed: " + e.getMessage()));
        }
        return Future.succeededFuture(RemotingCommand.successTo(req));
    }
}

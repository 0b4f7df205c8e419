package io.tern.broker.pop;

import io.tern.broker.BrokerConfig;
import io.tern.broker.client.ClientChannel;
import io.tern.broker.client.ConsumerGroupInfo;
import io.tern.broker.client.ConsumerRegistry;
import io.tern.broker.config.ConfigPersister;
import io.tern.broker.config.SubscriptionGroupManager;
import io.tern.broker.config.TopicConfigManager;
import io.tern.common.Json;
import io.tern.common.protocol.MessageQueue;
import io.tern.common.protocol.SystemNames;
import io.tern.common.protocol.TopicConfig;
import io.tern.remoting.RemotingChannel;
import io.tern.remoting.protocol.RemotingCommand;
import io.tern.remoting.protocol.ResponseCode;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Broker-side load balancing of the 5.x client ({@code setClientRebalance(false)}): QUERY_ASSIGNMENT (400) answers
 * which queues a client consumes and in which mode, SET_MESSAGE_REQUEST_MODE (401) switches a group between PULL
 * and POP on a topic, GET_ALL_MESSAGE_REQUEST_MODE (402) lists the switches. PULL queues are allocated among the
 * group's clients with the client's strategy (AVG, AVG_BY_CIRCLE); in POP mode every client gets the topic as one
 * queue with id -1 (pop from all queues) unless {@code popShareQueueNum} spreads the queues over the clients.
 *
 * <p>The queues are this broker's (one broker answers for its own queues). Event loop.
 */
final class AssignmentProcessors {
    private static final String CLUSTERING = "CLUSTERING";
    private static final String BROADCASTING = "BROADCASTING";
    private static final String AVG = "AVG";
    private static final String AVG_BY_CIRCLE = "AVG_BY_CIRCLE";

    private final BrokerConfig config;
    private final TopicConfigManager topics;
    private final SubscriptionGroupManager groups;
    private final ConsumerRegistry consumers;
    private final MessageRequestModes modes;
    private final ConfigPersister modesFile;

    /** QUERY_ASSIGNMENT's request body. */
    public static final class QueryBody {
        public String topic;
        public String consumerGroup;
        public String clientId;
        public String strategyName;
        public String messageModel;
    }

    /** One entry of QUERY_ASSIGNMENT's answer (the reference's MessageQueueAssignment). */
    public static final class Assignment {
        public MessageQueue messageQueue;
        public String mode;

        Assignment(MessageQueue messageQueue, String mode) {
            this.messageQueue = messageQueue;
            this.mode = mode;
        }
    }

    /** QUERY_ASSIGNMENT's answer; a null set tells the client to keep what it has. */
    public static final class AnswerBody {
        public Set<Assignment> messageQueueAssignments;
    }

    AssignmentProcessors(BrokerConfig config, TopicConfigManager topics, SubscriptionGroupManager groups,
                         ConsumerRegistry consumers, MessageRequestModes modes, ConfigPersister modesFile) {
        this.config = config;
        this.topics = topics;
        this.groups = groups;
        this.consumers = consumers;
        this.modes = modes;
        this.modesFile = modesFile;
    }

    Future<RemotingCommand> queryAssignment(RemotingChannel conn, RemotingCommand req) {
        QueryBody q;
        try {
            q = Json.fromBytes(body(req), QueryBody.class);
        } catch (IllegalArgumentException e) {
            return answer(req, ResponseCode.INVALID_PARAMETER, "assignment query body: " + e.getMessage());
        }
        if (q.topic == null || q.consumerGroup == null || q.clientId == null) {
            return answer(req, ResponseCode.INVALID_PARAMETER, "assignment query needs topic, consumerGroup, clientId");
        }
        MessageRequestModes.Mode mode = modeOf(q.topic, q.consumerGroup);
        List<MessageQueue> assigned = allocate(q, mode);
        AnswerBody body = new AnswerBody();
        if (assigned != null) {
            body.messageQueueAssignments = new LinkedHashSet<>();
            for (MessageQueue mq : assigned) {
                body.messageQueueAssignments.add(new Assignment(mq, mode.mode));
            }
        }
        return Future.succeededFuture(RemotingCommand.successTo(req).body(Json.toBytes(body)));
    }

    Future<RemotingCommand> setMessageRequestMode(RemotingChannel conn, RemotingCommand req) {
        MessageRequestModes.Mode m;
        try {
            m = Json.fromBytes(body(req), MessageRequestModes.Mode.class);
        } catch (IllegalArgumentException e) {
            return answer(req, ResponseCode.INVALID_PARAMETER, "request mode body: " + e.getMessage());
        }
        if (m.topic == null || m.consumerGroup == null) {
            return answer(req, ResponseCode.INVALID_PARAMETER, "request mode needs topic and consumerGroup");
        }
        if (m.topic.startsWith(SystemNames.RETRY_GROUP_TOPIC_PREFIX)) {
            return answer(req, ResponseCode.NO_PERMISSION, "retry topic is not allowed to set mode");
        }
        if (topics.get(m.topic) == null) {
            return answer(req, ResponseCode.TOPIC_NOT_EXIST, "topic[" + m.topic + "] not exist");
        }
        if (groups.findOrCreate(m.consumerGroup) == null) {
            return answer(req, ResponseCode.SUBSCRIPTION_GROUP_NOT_EXIST, "subscription group does not exist");
        }
        modes.set(m.topic, m.consumerGroup, m);
        modesFile.requestPersist();
        return Future.succeededFuture(RemotingCommand.successTo(req));
    }

    Future<RemotingCommand> allMessageRequestModes(RemotingChannel conn, RemotingCommand req) {
        return Future.succeededFuture(RemotingCommand.successTo(req).body(modes.encode()));
    }

    /** Set, or the broker's default; a retry topic is always pulled. */
    private MessageRequestModes.Mode modeOf(String topic, String group) {
        MessageRequestModes.Mode set = modes.get(topic, group);
        if (set != null) {
            return set;
        }
        MessageRequestModes.Mode m = new MessageRequestModes.Mode();
        m.topic = topic;
        m.consumerGroup = group;
        boolean pop = !topic.startsWith(SystemNames.RETRY_GROUP_TOPIC_PREFIX)
                && MessageRequestModes.POP.equalsIgnoreCase(config.defaultMessageRequestMode);
        m.mode = pop ? MessageRequestModes.POP : MessageRequestModes.PULL;
        m.popShareQueueNum = pop ? config.defaultPopShareQueueNum : 0;
        return m;
    }

    /** The client's queues, or null when the answer would be meaningless (unknown topic, client, strategy). */
    private List<MessageQueue> allocate(QueryBody q, MessageRequestModes.Mode mode) {
        TopicConfig tc = topics.get(q.topic);
        if (tc == null) {
            return null;
        }
        List<MessageQueue> all = new ArrayList<>(tc.readQueueNums);
        for (int i = 0; i < tc.readQueueNums; i++) {
            all.add(new MessageQueue(q.topic, config.brokerName, i));
        }
        if (BROADCASTING.equals(q.messageModel)) {
            return all;
        }
        if (q.messageModel != null && !CLUSTERING.equals(q.messageModel)) {
            return null;
        }
        boolean pop = MessageRequestModes.POP.equals(mode.mode);
        if (pop && mode.popShareQueueNum <= 0) {
            return List.of(new MessageQueue(q.topic, config.brokerName, -1)); // whoever the members are
        }
        ConsumerGroupInfo info = consumers.group(q.consumerGroup);
        if (info == null) {
            return null;
        }
        Set<String> ids = new TreeSet<>();
        for (ClientChannel c : info.channels()) {
            ids.add(c.clientId);
        }
        ids.add(q.clientId); // its heartbeat may be on its way
        List<String> clients = new ArrayList<>(ids);
        String strategy = q.strategyName == null ? AVG : q.strategyName;
        if (!AVG.equals(strategy) && !AVG_BY_CIRCLE.equals(strategy)) {
            return null;
        }
        if (!pop) {
            return allocate(strategy, q.clientId, all, clients);
        }
        int share = mode.popShareQueueNum;
        if (share >= clients.size() - 1) {
            return List.of(new MessageQueue(q.topic, config.brokerName, -1));
        }
        if (clients.size() > all.size()) {
            return List.of(all.get(clients.indexOf(q.clientId) % all.size()));
        }
        Set<MessageQueue> result = new LinkedHashSet<>(allocate(strategy, q.clientId, all, clients));
        int index = clients.indexOf(q.clientId);
        for (int i = 1; i <= share; i++) {
            result.addAll(allocate(strategy, clients.get((index + i) % clients.size()), all, clients));
        }
        return new ArrayList<>(result);
    }

    /**
     * AVG gives each client a contiguous run, the first {@code queues % clients} clients one queue more;
     * AVG_BY_CIRCLE deals the queues out one by one.
     */
    static List<MessageQueue> allocate(String strategy, String clientId, List<MessageQueue> all,
                                       List<String> clients) {
        int index = clients.indexOf(clientId);
        List<MessageQueue> mine = new ArrayList<>();
        if (index < 0 || all.isEmpty()) {
            return mine;
        }
        int n = clients.size();
        if (AVG_BY_CIRCLE.equals(strategy)) {
            for (int i = index; i < all.size(); i += n) {
                mine.add(all.get(i));
            }
            return mine;
        }
        int base = all.size() / n;
        int extra = all.size() % n;
        int count = all.size() <= n ? (index < all.size() ? 1 : 0) : base + (index < extra ? 1 : 0);
        int start = all.size() <= n ? index : index * base + Math.min(index, extra);
        for (int i = 0; i < count; i++) {
            mine.add(all.get(start + i));
        }
        return mine;
    }

    private static byte[] body(RemotingCommand req) {
        byte[] b = req.bodyBytes();
        if (b == null) {
            throw new IllegalArgumentException("missing");
        }
        return b;
    }

    private static Future<RemotingCommand> answer(RemotingCommand req, int code, String remark) {
        return Future.succeededFuture(RemotingCommand.responseTo(req, code, remark));
    }
}

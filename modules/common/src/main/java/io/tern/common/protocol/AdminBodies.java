package io.tern.common.protocol;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * JSON bodies of the admin calls (spec 4.2.7–4.2.11), shared by the broker that writes them and the admin tools
 * that read them. Field names are the wire names; MessageQueue map keys are
 * written as stringified JSON by {@link io.tern.common.Json}, which fastjson reads back as MessageQueue keys.
 */
public final class AdminBodies {
    private AdminBodies() {
    }

    /** GET_TOPIC_STATS_INFO. */
    public static final class TopicStatsTable {
        public Map<MessageQueue, TopicOffset> offsetTable = new TreeMap<>();
    }

    public static final class TopicOffset {
        public long minOffset;
        public long maxOffset;
        public long lastUpdateTimestamp;
    }

    /** GET_CONSUME_STATS. */
    public static final class ConsumeStats {
        public Map<MessageQueue, OffsetWrapper> offsetTable = new TreeMap<>();
        public double consumeTps;
    }

    public static final class OffsetWrapper {
        public long brokerOffset;
        public long consumerOffset;
        public long lastTimestamp;
    }

    /** One client connection in GET_CONSUMER_CONNECTION_LIST / GET_PRODUCER_CONNECTION_LIST. */
    public static final class Connection {
        public String clientId;
        public String clientAddr;
        public String language;
        public int version;
    }

    /** GET_CONSUMER_CONNECTION_LIST. */
    public static final class ConsumerConnection {
        public Set<Connection> connectionSet = new LinkedHashSet<>();
        public Map<String, SubscriptionData> subscriptionTable = new TreeMap<>();
        public String consumeType;
        public String messageModel;
        public String consumeFromWhere;
    }

    /** GET_PRODUCER_CONNECTION_LIST. */
    public static final class ProducerConnection {
        public Set<Connection> connectionSet = new LinkedHashSet<>();
    }

    /** GET_ALL_PRODUCER_INFO. */
    public static final class ProducerTableInfo {
        public Map<String, List<ProducerInfo>> data = new TreeMap<>();
    }

    public static final class ProducerInfo {
        public String clientId;
        public String remoteIP;
        public String language;
        public int version;
        public long lastUpdateTimestamp;
    }

    /** GET_BROKER_RUNTIME_INFO and other string tables. */
    public static final class KVTable {
        public Map<String, String> table = new TreeMap<>();
    }

    public static final class TopicList {
        public Set<String> topicList = new LinkedHashSet<>();
        public String brokerAddr;
    }

    public static final class GroupList {
        public Set<String> groupList = new LinkedHashSet<>();
    }

}

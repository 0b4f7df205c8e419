package io.tern.broker.pull;

import io.tern.broker.BrokerAddress;
import io.tern.broker.BrokerConfig;
import io.tern.broker.config.TopicConfigManager;
import io.tern.common.Json;
import io.tern.common.message.MessageConst;
import io.tern.common.message.ParsedProperties;
import io.tern.common.message.TagCodes;
import io.tern.common.protocol.MessageQueue;
import io.tern.common.protocol.SystemNames;
import io.tern.store.MessageStore;
import io.tern.store.StoreMessage;
import java.nio.ByteBuffer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records a corrected pull offset (PULL_OFFSET_MOVED) as a message in the OFFSET_MOVED_EVENT topic, as RocketMQ's
 * master does: queue 0, tag and key = the consumer group, body the OffsetMovedEvent JSON
 * {@code {"consumerGroup","messageQueue":{"brokerName","queueId","topic"},"offsetNew","offsetRequest"}} (read by
 * RocketMQ's monitor tooling). Written only by a master and only while the topic exists (every broker creates it
 * at start; deleting it switches the events off). The put is not awaited: the pull's answer never waits for it.
 *
 * <p>Thread-safe; runs on the pulling connection's event loop, off the normal pull path (moved offsets are rare).
 */
final class OffsetMovedEvents {
    private static final Logger LOG = LoggerFactory.getLogger(OffsetMovedEvents.class);

    private final BrokerConfig config;
    private final BrokerAddress address;
    private final MessageStore store;
    private final TopicConfigManager topics;

    OffsetMovedEvents(BrokerConfig config, BrokerAddress address, MessageStore store, TopicConfigManager topics) {
        this.config = config;
        this.address = address;
        this.store = store;
        this.topics = topics;
    }

    /** The body: OffsetMovedEvent as the reference's RemotingSerializable writes it. */
    static final class Event {
        public String consumerGroup;
        public MessageQueue messageQueue;
        public long offsetRequest;
        public long offsetNew;
    }

    void moved(String group, String topic, int queueId, long offsetRequest, long offsetNew) {
        if (!config.brokerRole.isMaster() || !topics.contains(SystemNames.OFFSET_MOVED_EVENT)) {
            return;
        }
        Event e = new Event();
        e.consumerGroup = group;
        e.messageQueue = new MessageQueue(topic, config.brokerName, queueId);
        e.offsetRequest = offsetRequest;
        e.offsetNew = offsetNew;
        ParsedProperties props = ParsedProperties.parse("");
        props.put(MessageConst.TAGS, group);
        props.put(MessageConst.KEYS, group);
        props.put(MessageConst.CLUSTER, config.clusterName);
        StoreMessage m = new StoreMessage();
        m.topic = SystemNames.OFFSET_MOVED_EVENT;
        m.queueId = 0;
        m.body = ByteBuffer.wrap(Json.toBytes(e));
        m.tagsCode = TagCodes.of(group);
        m.bornTimestamp = System.currentTimeMillis();
        m.bornHostAddress = address.hostBytes();
        m.bornHostPort = address.port();
        m.storeHostAddress = address.hostBytes();
        m.storeHostPort = address.port();
        store.put(m.withProperties(props)).whenComplete((r, err) -> {
            if (err != null || !r.isStored()) {
                LOG.warn("offset-moved event of {} on {}:{} not stored: {}", group, topic, queueId,
                        err != null ? err.toString() : r.status());
            }
        });
    }
}

package io.tern.broker.trace;

import io.tern.broker.BrokerAddress;
import io.tern.broker.BrokerConfig;
import io.tern.broker.config.TopicConfigManager;
import io.tern.common.message.MessageConst;
import io.tern.common.message.MessageIds;
import io.tern.common.message.ParsedProperties;
import io.tern.common.protocol.PermName;
import io.tern.common.protocol.TopicConfig;
import io.tern.common.protocol.TopicValidator;
import io.tern.common.trace.TraceData;
import io.tern.common.trace.TraceRecord;
import io.tern.store.MessageStore;
import io.tern.store.PutResult;
import io.tern.store.StoreMessage;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code brokerTraceEnable}: after a send is stored, writes its Pub trace contexts into the trace topic itself, in
 * the clients' format ({@link TraceData}), so messages from producers without trace — and those sent over HTTP —
 * are found by {@code mqadmin queryMsgTraceById} like any other. One trace message per send request (a batch's
 * messages share it); its KEYS are the message ids and keys, its born host the producer's, and it carries
 * {@value #SOURCE_PROPERTY}=broker so Tern's readers tell it from a client's record of the same send.
 *
 * <p>The trace put is not awaited and a failed one only logged: a send never waits for or fails on its trace. When
 * the switch is off the send path pays one boolean test ({@link #capture} returns null). Thread-safe.
 */
public final class BrokerTraceWriter {
    private static final Logger LOG = LoggerFactory.getLogger(BrokerTraceWriter.class);
    /** Property on trace messages the broker wrote. */
    public static final String SOURCE_PROPERTY = "TRACE_SOURCE";
    public static final String SOURCE_BROKER = "broker";

    private final BrokerConfig config;
    private final BrokerAddress address;
    private final MessageStore store;
    private final TopicConfigManager topics;
    private final AtomicInteger nextQueue = new AtomicInteger();

    public BrokerTraceWriter(BrokerConfig config, BrokerAddress address, MessageStore store,
                             TopicConfigManager topics) {
        this.config = config;
        this.address = address;
        this.store = store;
        this.topics = topics;
    }

    /** What a send's trace needs from its messages, taken before the store owns them. */
    public record Capture(String producerGroup, String topic, long bornTimestamp, byte[] bornHostAddress,
                          int bornHostPort, String[] msgIds, String[] tags, String[] keys, int[] bodyLengths,
                          int[] msgTypes) {
    }

    /** {@link #capture(String, String, List)} of a single message, allocating nothing when tracing is off. */
    public Capture capture(String producerGroup, String topic, StoreMessage message) {
        return config.brokerTraceEnable ? capture(producerGroup, topic, List.of(message)) : null;
    }

    /**
     * Null when the broker does not trace this send (switched off, or a system topic such as the trace topic
     * itself); otherwise what {@link #stored} writes once the put succeeded.
     */
    public Capture capture(String producerGroup, String topic, List<StoreMessage> messages) {
        if (!config.brokerTraceEnable || TopicValidator.isSystemTopic(topic)
                || topic.equals(config.msgTraceTopicName)) {
            return null;
        }
        int n = messages.size();
        String[] ids = new String[n];
        String[] tags = new String[n];
        String[] keys = new String[n];
        int[] lengths = new int[n];
        int[] types = new int[n];
        for (int i = 0; i < n; i++) {
            StoreMessage m = messages.get(i);
            ParsedProperties p = ParsedProperties.parse(m.properties);
            ids[i] = m.uniqKey;
            tags[i] = p.tags();
            keys[i] = m.keys;
            lengths[i] = m.body == null ? 0 : m.body.remaining();
            types[i] = p.isTransactionPrepared() ? TraceRecord.TRANS_MSG_HALF
                    : p.delayLevel() > 0 ? TraceRecord.DELAY_MSG : TraceRecord.NORMAL_MSG;
        }
        StoreMessage first = messages.get(0);
        return new Capture(producerGroup, topic, first.bornTimestamp, first.bornHostAddress, first.bornHostPort, ids,
                tags, keys, lengths, types);
    }

    /** Writes the Pub contexts of a stored send; {@code capture} from {@link #capture}, never null. */
    public void stored(Capture c, PutResult result) {
        TopicConfig tc = topics.get(config.msgTraceTopicName);
        if (tc == null) {
            // switched on at run time (UPDATE_BROKER_CONFIG): the topic comes with the first record
            tc = topics.createIfAbsent(config.msgTraceTopicName, 1, PermName.PERM_READ | PermName.PERM_WRITE, 0);
        }
        if (tc == null || tc.writeQueueNums <= 0) {
            return;
        }
        long[] offsets = result.physicalOffsets();
        StringBuilder body = new StringBuilder(256 * offsets.length);
        Set<String> keys = new LinkedHashSet<>();
        for (int i = 0; i < offsets.length && i < c.msgIds().length; i++) {
            String offsetMsgId = MessageIds.offsetMsgId(address.hostBytes(), address.port(), offsets[i]);
            String msgId = c.msgIds()[i] != null ? c.msgIds()[i] : offsetMsgId;
            int costMs = (int) Math.max(0, Math.min(Integer.MAX_VALUE, result.storeTimestamp() - c.bornTimestamp()));
            TraceData.appendPub(body, TraceRecord.pub(c.bornTimestamp(), config.regionId, c.producerGroup(),
                    c.topic(), msgId, c.tags()[i], c.keys()[i], address.hostPort(), c.bodyLengths()[i], costMs,
                    c.msgTypes()[i], offsetMsgId, true));
            keys.add(msgId);
            if (c.keys()[i] != null) {
                for (String k : c.keys()[i].split(" ")) {
                    if (!k.isEmpty()) {
                        keys.add(k);
                    }
                }
            }
        }
        ParsedProperties props = ParsedProperties.parse("");
        props.put(MessageConst.KEYS, String.join(" ", keys));
        props.put(SOURCE_PROPERTY, SOURCE_BROKER);
        props.put(MessageConst.CLUSTER, config.clusterName);
        StoreMessage m = new StoreMessage();
        m.topic = tc.topicName;
        m.queueId = Math.floorMod(nextQueue.getAndIncrement(), tc.writeQueueNums);
        m.body = ByteBuffer.wrap(body.toString().getBytes(StandardCharsets.UTF_8));
        m.bornTimestamp = System.currentTimeMillis();
        m.bornHostAddress = c.bornHostAddress();
        m.bornHostPort = c.bornHostPort();
        m.storeHostAddress = address.hostBytes();
        m.storeHostPort = address.port();
        store.put(m.withProperties(props)).whenComplete((r, e) -> {
            if (e != null || !r.isStored()) {
                LOG.warn("trace of {} message(s) to {} not stored: {}", offsets.length, c.topic(),
                        e != null ? e.toString() : r.status());
            }
        });
    }
}

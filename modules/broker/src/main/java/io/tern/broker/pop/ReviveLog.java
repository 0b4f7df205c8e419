package io.tern.broker.pop;

import io.tern.broker.BrokerAddress;
import io.tern.broker.config.TopicConfigManager;
import io.tern.broker.message.StoredRecord;
import io.tern.common.Json;
import io.tern.common.message.MessageConst;
import io.tern.common.message.ParsedProperties;
import io.tern.common.message.TagCodes;
import io.tern.common.protocol.PermName;
import io.tern.store.GetResult;
import io.tern.store.MessageFilter;
import io.tern.store.MessageStore;
import io.tern.store.StoreMessage;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Pop state in the commit log: every checkpoint and every acknowledgement is a message of the revive topic
 * (rmq_sys_REVIVE_LOG_&lt;cluster&gt;, one queue), so it is as durable as the messages themselves, replicated to
 * slaves, and recovered with the commit log. The body of each record is one JSON object:
 * <pre>
 *   {"kind":"ck",  "group":g, "topic":t, "queueId":q, "startOffset":s, "popTime":p, "invisibleTime":i, "offsets":[..]}
 *   {"kind":"ack", "group":g, "topic":t, "queueId":q, "startOffset":s, "popTime":p, "offsets":[acked offsets]}
 * </pre>
 * ({@code topic} is the topic the messages were read from; group, topic, queue, start offset and pop time name the
 * checkpoint). The replay start is the revive group's committed offset on the revive topic, moved forward by the
 * reviver to the oldest live checkpoint's record.
 */
final class ReviveLog {
    private static final Logger LOG = LoggerFactory.getLogger(ReviveLog.class);
    private static final int PERM_RW = PermName.PERM_READ | PermName.PERM_WRITE;
    private static final int REPLAY_BATCH = 256;
    private static final int REPLAY_BATCH_BYTES = 4 * 1024 * 1024;
    static final String CK = "ck";
    static final String ACK = "ack";

    /** One record's body. */
    public static final class Entry {
        public String kind;
        public String group;
        public String topic;
        public int queueId;
        public long startOffset;
        public long popTime;
        public long invisibleTime;
        public long[] offsets;
    }

    private final MessageStore store;
    private final TopicConfigManager topics;
    private final BrokerAddress address;
    final String topic;

    ReviveLog(MessageStore store, TopicConfigManager topics, BrokerAddress address, String topic) {
        this.store = store;
        this.topics = topics;
        this.address = address;
        this.topic = topic;
    }

    CompletableFuture<Long> appendCheckpoint(PopCheckpoint ck) {
        Entry e = entry(CK, ck.group, ck.topic, ck.queueId, ck.startOffset, ck.popTime);
        e.invisibleTime = ck.invisibleTime;
        e.offsets = ck.offsets;
        return append(e);
    }

    CompletableFuture<Long> appendAck(String group, String ckTopic, int queueId, long startOffset, long popTime,
                                      long[] ackedOffsets) {
        Entry e = entry(ACK, group, ckTopic, queueId, startOffset, popTime);
        e.offsets = ackedOffsets;
        return append(e);
    }

    private static Entry entry(String kind, String group, String topic, int queueId, long startOffset, long popTime) {
        Entry e = new Entry();
        e.kind = kind;
        e.group = group;
        e.topic = topic;
        e.queueId = queueId;
        e.startOffset = startOffset;
        e.popTime = popTime;
        return e;
    }

    /** Appends one record; completes with its queue offset in the revive topic, or fails when the store refused. */
    private CompletableFuture<Long> append(Entry e) {
        StoreMessage m;
        try {
            topics.createIfAbsent(topic, 1, PERM_RW, 0);
            m = record(e);
        } catch (RuntimeException ex) {
            return CompletableFuture.failedFuture(ex);
        }
        return store.put(m).thenApply(r -> {
            if (!r.isStored()) {
                throw new IllegalStateException("revive log append refused: " + r.status() + " " + r.remark());
            }
            return r.queueOffset();
        });
    }

    private StoreMessage record(Entry e) {
        StoreMessage m = new StoreMessage();
        m.topic = topic;
        m.queueId = PopNames.REVIVE_QUEUE_ID;
        m.body = ByteBuffer.wrap(Json.toBytes(e));
        m.withProperties(ParsedProperties.of(Map.of(MessageConst.TAGS, e.kind,
                MessageConst.WAIT_STORE_MSG_OK, "false")));
        m.bornTimestamp = System.currentTimeMillis();
        m.bornHostAddress = address.hostBytes();
        m.bornHostPort = address.port();
        m.storeHostAddress = address.hostBytes();
        m.storeHostPort = address.port();
        m.tagsCode = TagCodes.of(e.kind);
        return m;
    }

    /**
     * Rebuilds the live checkpoints from {@code fromOffset} on (blocking reads of the mapped log; run at open):
     * a checkpoint record adds one, an ack record marks its offsets. Returns the number of records read.
     */
    long replay(long fromOffset, PopCheckpointTable table) {
        long offset = Math.max(fromOffset, store.minOffsetInQueue(topic, PopNames.REVIVE_QUEUE_ID));
        long read = 0;
        while (true) {
            GetResult r = store.get(topic, PopNames.REVIVE_QUEUE_ID, offset, REPLAY_BATCH, REPLAY_BATCH_BYTES,
                    MessageFilter.ALL);
            if (r.status() != GetResult.GetStatus.FOUND || r.messages() == null || r.messages().isEmpty()) {
                return read;
            }
            for (ByteBuffer b : r.messages()) {
                StoredRecord rec = StoredRecord.decode(b.duplicate());
                read++;
                apply(rec, table);
            }
            offset = r.nextBeginOffset();
        }
    }

    private static void apply(StoredRecord rec, PopCheckpointTable table) {
        Entry e;
        try {
            byte[] body = new byte[rec.body().remaining()];
            rec.body().duplicate().get(body);
            e = Json.fromBytes(body, Entry.class);
        } catch (RuntimeException ex) {
            LOG.warn("skipping unreadable revive log record at {}: {}", rec.queueOffset(), ex.toString());
            return;
        }
        if (e.offsets == null || e.group == null || e.topic == null) {
            return;
        }
        if (CK.equals(e.kind)) {
            PopCheckpoint ck = new PopCheckpoint(e.group, e.topic, e.queueId, e.startOffset, e.popTime,
                    e.invisibleTime, e.offsets);
            ck.reviveOffset = rec.queueOffset();
            table.restore(ck);
        } else if (ACK.equals(e.kind)) {
            String key = PopCheckpoint.key(e.group, e.topic, e.queueId, e.startOffset, e.popTime);
            for (long o : e.offsets) {
                table.ack(key, o);
            }
        }
    }

    long end() {
        return store.maxOffsetInQueue(topic, PopNames.REVIVE_QUEUE_ID);
    }

}

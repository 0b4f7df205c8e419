package io.tern.broker.progress;

import io.tern.broker.client.ConsumerGroupInfo;
import io.tern.broker.client.ConsumerRegistry;
import io.tern.broker.config.TopicConfigManager;
import io.tern.common.Json;
import io.tern.common.message.StoredRecordLayout;
import io.tern.common.protocol.SubscriptionData;
import io.tern.remoting.RemotingChannel;
import io.tern.remoting.protocol.RemotingCommand;
import io.tern.remoting.protocol.ResponseCode;
import io.tern.store.GetResult;
import io.tern.store.MessageFilter;
import io.tern.store.MessageStore;
import io.vertx.core.Future;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * QUERY_CONSUME_QUEUE (321, {@code mqadmin queryCq}): up to {@code count} consume-queue entries of a queue from
 * logical offset {@code index} — commit-log offset, size and tag code of each — with the queue's bounds and, when
 * a consumer group is named, its subscription and whether each entry matches it.
 *
 * <p>The store exposes entries only through reads, so the tag code of each entry is taken from the filter
 * callbacks of {@link io.tern.store.MessageStore#get}: {@code matchesTagsCode} sees the entry,
 * {@code matchesRecord} the record it points to, in that order. Runs on the event loop.
 */
public final class QueryConsumeQueueProcessor {
    /** Entries per answer at most, whatever the caller asks. */
    static final int MAX_ENTRIES = 1024;

    private final MessageStore store;
    private final TopicConfigManager topics;
    private final ConsumerRegistry consumers;

    public QueryConsumeQueueProcessor(MessageStore store, TopicConfigManager topics, ConsumerRegistry consumers) {
        this.store = store;
        this.topics = topics;
        this.consumers = consumers;
    }

    public static final class ConsumeQueueData {
        public long physicOffset;
        public int physicSize;
        public long tagsCode;
        public String extendDataJson;
        public String bitMap;
        public boolean eval;
        public String msg;
    }

    public static final class QueryConsumeQueueResponseBody {
        public SubscriptionData subscriptionData;
        public String filterData;
        public List<ConsumeQueueData> queueData = new ArrayList<>();
        public long maxQueueIndex;
        public long minQueueIndex;
    }

    /** Pairs each entry's tag code with the record it names. */
    private static final class EntryCollector implements MessageFilter {
        final List<ConsumeQueueData> entries = new ArrayList<>();
        private long lastTagsCode;

        @Override
        public boolean matchesTagsCode(long tagsCode) {
            lastTagsCode = tagsCode;
            return true;
        }

        @Override
        public boolean matchesRecord(ByteBuffer record) {
            ConsumeQueueData d = new ConsumeQueueData();
            d.physicOffset = record.getLong(record.position() + StoredRecordLayout.PHYSICAL_OFFSET_OFFSET);
            d.physicSize = record.getInt(record.position() + StoredRecordLayout.TOTAL_SIZE_OFFSET);
            d.tagsCode = lastTagsCode;
            entries.add(d);
            return true;
        }
    }

    public Future<RemotingCommand> process(RemotingChannel conn, RemotingCommand req) {
        String topic = req.required("topic");
        int queueId = req.requiredInt("queueId");
        long index = req.requiredLong("index");
        int count = Math.max(0, Math.min(req.requiredInt("count"), MAX_ENTRIES));
        String group = req.ext("consumerGroup");
        long max = store.maxOffsetInQueue(topic, queueId);
        long min = store.minOffsetInQueue(topic, queueId);
        if (max <= 0 && topics.get(topic) == null) {
            return Future.succeededFuture(RemotingCommand.responseTo(req, ResponseCode.SYSTEM_ERROR,
                    queueId + "@" + topic + " is not exist!"));
        }
        QueryConsumeQueueResponseBody body = new QueryConsumeQueueResponseBody();
        body.maxQueueIndex = max;
        body.minQueueIndex = min;
        SubscriptionData sub = null;
        if (group != null && !group.isEmpty()) {
            ConsumerGroupInfo info = consumers.group(group);
            sub = info == null ? null : info.subscription(topic);
            body.subscriptionData = sub;
            if (sub == null) {
                body.filterData = group + "@" + topic + " is not online!";
            }
        }
        if (index < min || index >= max) {
            return Future.succeededFuture(RemotingCommand.responseTo(req, ResponseCode.SYSTEM_ERROR,
                    "Index " + index + " of " + queueId + "@" + topic + " is not exist!"));
        }
        EntryCollector collector = new EntryCollector();
        GetResult ignored = store.get(topic, queueId, index, Math.max(1, count), Integer.MAX_VALUE, collector);
        for (ConsumeQueueData d : collector.entries) {
            if (sub != null) {
                d.eval = sub.matchesAll() || sub.codeSet == null || sub.codeSet.isEmpty()
                        || sub.codeSet.contains((int) d.tagsCode);
            }
            if (body.queueData.size() < count) {
                body.queueData.add(d);
            }
        }
        return Future.succeededFuture(RemotingCommand.successTo(req).body(Json.toBytes(body)));
    }
}

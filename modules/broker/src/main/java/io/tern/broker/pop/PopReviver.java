package io.tern.broker.pop;

import io.tern.broker.BrokerAddress;
import io.tern.broker.config.ConsumerOffsetManager;
import io.tern.broker.config.SubscriptionGroupConfig;
import io.tern.broker.config.SubscriptionGroupManager;
import io.tern.broker.config.TopicConfigManager;
import io.tern.broker.message.StoredRecord;
import io.tern.common.message.MessageConst;
import io.tern.common.message.MessageIds;
import io.tern.common.message.ParsedProperties;
import io.tern.common.message.TagCodes;
import io.tern.common.protocol.PermName;
import io.tern.common.protocol.SystemNames;
import io.tern.common.protocol.TopicConfig;
import io.tern.store.GetResult;
import io.tern.store.MessageFilter;
import io.tern.store.MessageStore;
import io.tern.store.StoreMessage;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes unacknowledged pops visible again (RocketMQ's PopReviveService): for every checkpoint whose invisible time
 * is over, each message not acknowledged is copied, with its reconsume count one higher, to the group's pop retry
 * topic {@code %RETRY%<group>_<topic>} — or, once it was delivered {@code retryMaxTimes} + 1 times, to
 * {@code %DLQ%<group>} — and the checkpoint is dropped once every copy is stored. Then the replay start of the
 * revive log moves up to the oldest live checkpoint.
 *
 * <p>At least once: a crash between the copies and the next offset persistence revives the checkpoint again after
 * the restart. {@link #reviveDue} runs on one event loop (the revive verticle's); store puts do not block.
 */
final class PopReviver {
    private static final Logger LOG = LoggerFactory.getLogger(PopReviver.class);
    private static final int PERM_RW = PermName.PERM_READ | PermName.PERM_WRITE;
    private static final int MAX_MESSAGE_BYTES = 8 * 1024 * 1024;

    private final BrokerAddress address;
    private final MessageStore store;
    private final TopicConfigManager topics;
    private final SubscriptionGroupManager groups;
    private final ConsumerOffsetManager offsets;
    private final PopCheckpointTable table;
    private final ReviveLog log;

    PopReviver(BrokerAddress address, MessageStore store, TopicConfigManager topics, SubscriptionGroupManager groups,
               ConsumerOffsetManager offsets, PopCheckpointTable table, ReviveLog log) {
        this.address = address;
        this.store = store;
        this.topics = topics;
        this.groups = groups;
        this.offsets = offsets;
        this.table = table;
        this.log = log;
    }

    /** One round: revives what is due, then records the replay start. Completes when the round's puts did. */
    CompletableFuture<Void> reviveDue(long nowMs) {
        List<PopCheckpoint> due = table.takeExpired(nowMs);
        List<CompletableFuture<Void>> done = new ArrayList<>(due.size());
        for (PopCheckpoint ck : due) {
            CompletableFuture<Void> revived;
            try {
                revived = revive(ck);
            } catch (RuntimeException e) {
                revived = CompletableFuture.failedFuture(e);
            }
            done.add(revived.handle((v, e) -> {
                if (e == null) {
                    table.remove(ck);
                } else {
                    LOG.warn("reviving {} failed, retrying next round: {}", ck.key(), e.toString());
                    table.retryLater(ck);
                }
                return null;
            }));
        }
        return CompletableFuture.allOf(done.toArray(new CompletableFuture[0])).thenRun(this::commitReplayStart);
    }

    private void commitReplayStart() {
        long start = table.replayStart(log.end());
        // nothing is recorded for a broker whose revive log is empty: no revive group in its offsets until pops happen
        if (start > 0 && start > offsets.query(PopNames.REVIVE_GROUP, log.topic, PopNames.REVIVE_QUEUE_ID)) {
            offsets.commit(PopNames.REVIVE_GROUP, log.topic, PopNames.REVIVE_QUEUE_ID, start);
        }
    }

    private CompletableFuture<Void> revive(PopCheckpoint ck) {
        List<CompletableFuture<?>> puts = new ArrayList<>();
        for (int i = 0; i < ck.offsets.length; i++) {
            if (ck.isAcked(i)) {
                continue;
            }
            ByteBuffer record = read(ck.topic, ck.queueId, ck.offsets[i]);
            if (record == null) {
                continue; // gone with retention: nothing left to deliver
            }
            StoreMessage copy;
            try {
                copy = retryCopy(ck, StoredRecord.decode(record));
            } catch (IllegalArgumentException e) {
                LOG.error("cannot revive {} offset {}: unreadable record ({}); dropped", ck.key(), ck.offsets[i],
                        e.getMessage());
                continue;
            }
            puts.add(store.put(copy).thenApply(r -> {
                if (!r.isStored()) {
                    throw new IllegalStateException(r.status() + " " + r.remark());
                }
                return r;
            }));
        }
        return CompletableFuture.allOf(puts.toArray(new CompletableFuture[0]));
    }

    private ByteBuffer read(String topic, int queueId, long offset) {
        GetResult r = store.get(topic, queueId, offset, 1, MAX_MESSAGE_BYTES, MessageFilter.ALL);
        if (r.status() != GetResult.GetStatus.FOUND || r.messages() == null || r.messages().isEmpty()) {
            return null;
        }
        ByteBuffer b = r.messages().get(0);
        StoredRecord probe = StoredRecord.decode(b.duplicate());
        return probe.queueOffset() == offset ? b : null;
    }

    /** The message again, one delivery later: into the pop retry topic, or the DLQ past the group's maximum. */
    private StoreMessage retryCopy(PopCheckpoint ck, StoredRecord msg) {
        SubscriptionGroupConfig gc = groups.findOrCreate(ck.group);
        int maxTimes = gc == null ? new SubscriptionGroupConfig(ck.group).retryMaxTimes : gc.retryMaxTimes;
        int retryQueues = gc == null ? 1 : Math.max(1, gc.retryQueueNums);
        boolean fromRetry = ck.topic.startsWith(SystemNames.RETRY_GROUP_TOPIC_PREFIX);
        ParsedProperties props = ParsedProperties.parse(msg.properties());
        String normalTopic = fromRetry ? props.get(MessageConst.RETRY_TOPIC) : ck.topic;
        props.putIfAbsent(MessageConst.RETRY_TOPIC, normalTopic == null ? ck.topic : normalTopic);
        if (props.get(MessageConst.ORIGIN_MESSAGE_ID) == null) {
            props.put(MessageConst.ORIGIN_MESSAGE_ID,
                    MessageIds.offsetMsgId(msg.storeHost(), msg.storePort(), msg.physicalOffset()));
        }
        props.putIfAbsent(PopNames.FIRST_POP_TIME, String.valueOf(ck.popTime));
        props.put(MessageConst.WAIT_STORE_MSG_OK, "false");
        props.remove(MessageConst.DELAY_TIME_LEVEL);

        StoreMessage m = msg.rewrite(address.hostBytes(), address.port());
        m.reconsumeTimes = msg.reconsumeTimes() + 1;
        if (msg.reconsumeTimes() >= maxTimes) {
            m.topic = SystemNames.dlqTopic(ck.group);
            m.queueId = 0;
            topics.createIfAbsent(m.topic, 1, PERM_RW, 0);
        } else {
            m.topic = fromRetry ? ck.topic : PopNames.retryTopic(ck.topic, ck.group);
            TopicConfig tc = topics.createIfAbsent(m.topic, retryQueues, PERM_RW, 0);
            m.queueId = ThreadLocalRandom.current().nextInt(Math.max(1, tc.writeQueueNums));
        }
        m.tagsCode = TagCodes.of(props.tags());
        m.withProperties(props);
        return m;
    }
}

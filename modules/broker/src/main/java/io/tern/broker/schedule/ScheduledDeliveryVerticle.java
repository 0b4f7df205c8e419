package io.tern.broker.schedule;

import io.tern.broker.BrokerAddress;
import io.tern.broker.control.BrokerBus;
import io.tern.broker.control.DelayedMessageStored;
import io.tern.broker.message.StoredRecord;
import io.tern.broker.send.DelayLevels;
import io.tern.common.message.MessageConst;
import io.tern.common.message.ParsedProperties;
import io.tern.common.message.TagCodes;
import io.tern.common.protocol.SystemNames;
import io.tern.remoting.bus.LocalCodec;
import io.tern.store.GetResult;
import io.tern.store.MessageFilter;
import io.tern.store.MessageStore;
import io.tern.store.PutResult;
import io.tern.store.StoreMessage;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.MessageConsumer;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Iterator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers delayed messages (spec 6.7). Queue {@code level-1} of SCHEDULE_TOPIC_XXXX holds the messages of one delay
 * level in store order, so each level is a FIFO whose head is due at its store time plus the level's delay. Due
 * heads are put to REAL_TOPIC / REAL_QID one at a time, so a level's offset ({@link DelayLevelOffsets}) only
 * advances past stored copies.
 *
 * <p>No polling: the verticle knows each level's next due time and sleeps on one timer until the earliest. It learns
 * of stored delayed messages over the broker's bus ({@link BrokerBus#delayedMessageStored}, sent by
 * {@link io.tern.broker.control.SystemTopicArrivals}) and, when it starts, reads every level's head from the
 * persisted offsets — so whatever was stored while no scheduler ran (a restart, a redeploy) is found too. A level
 * that is delivering ignores notifications: it re-reads the queue's end before going idle.
 *
 * <p>Runs on its own event loop; every field is confined to it. Undeploying waits for puts under way.
 */
public final class ScheduledDeliveryVerticle extends VerticleBase {
    private static final Logger LOG = LoggerFactory.getLogger(ScheduledDeliveryVerticle.class);
    /** A level whose put failed (store not writable) tries again after this long. */
    static final long RETRY_AFTER_FAILURE_MS = 1000;
    private static final long NOTHING_DUE = Long.MAX_VALUE;
    private static final int BATCH_MESSAGES = 32;
    private static final int BATCH_BYTES = 1024 * 1024;

    private final BrokerAddress address;
    private final MessageStore store;
    private final DelayLevelOffsets offsets;
    /** Per level: when its head is due, or {@link #NOTHING_DUE} when the level is delivered up to its end. */
    private final long[] headDueMs = new long[DelayLevels.maxLevel() + 1];
    private final boolean[] delivering = new boolean[DelayLevels.maxLevel() + 1];
    private long timerId = -1;
    private long timerDueMs = NOTHING_DUE;
    private boolean stopping;
    private Promise<Void> idle;

    public ScheduledDeliveryVerticle(BrokerAddress address, MessageStore store, DelayLevelOffsets offsets) {
        this.address = address;
        this.store = store;
        this.offsets = offsets;
    }

    @Override
    public Future<?> start() {
        LocalCodec.registerOnce(vertx);
        Arrays.fill(headDueMs, NOTHING_DUE);
        MessageConsumer<DelayedMessageStored> consumer = vertx.eventBus().localConsumer(
                BrokerBus.delayedMessageStored(address.hostPort()), m -> onStored(m.body()));
        // listening first: a message stored during the scan below is either read by it or notified after it
        for (int level = 1; level < headDueMs.length; level++) {
            deliver(level);
        }
        return consumer.completion();
    }

    @Override
    public Future<?> stop() {
        stopping = true;
        cancelTimer();
        if (!anyDelivering()) {
            return Future.succeededFuture();
        }
        idle = Promise.promise();
        return idle.future();
    }

    private void onStored(DelayedMessageStored stored) {
        int level = stored.level();
        if (stopping || level < 1 || level >= headDueMs.length || delivering[level]) {
            return;
        }
        if (stored.dueMs() < headDueMs[level]) {
            headDueMs[level] = stored.dueMs();
            arm();
        }
    }

    /** Sets the one timer to the earliest due head, if that is earlier than the timer already set. */
    private void arm() {
        long earliest = NOTHING_DUE;
        for (int level = 1; level < headDueMs.length; level++) {
            if (!delivering[level]) {
                earliest = Math.min(earliest, headDueMs[level]);
            }
        }
        if (stopping || earliest == NOTHING_DUE || (timerId >= 0 && timerDueMs <= earliest)) {
            return;
        }
        cancelTimer();
        timerDueMs = earliest;
        timerId = vertx.setTimer(Math.max(1, earliest - System.currentTimeMillis()), id -> {
            timerId = -1;
            timerDueMs = NOTHING_DUE;
            deliverDue();
        });
    }

    private void cancelTimer() {
        if (timerId >= 0) {
            vertx.cancelTimer(timerId);
            timerId = -1;
            timerDueMs = NOTHING_DUE;
        }
    }

    private void deliverDue() {
        long now = System.currentTimeMillis();
        for (int level = 1; level < headDueMs.length; level++) {
            if (!delivering[level] && headDueMs[level] <= now) {
                deliver(level);
            }
        }
        arm();
    }

    /** Reads the level's next batch from its offset and delivers the due records of it. */
    private void deliver(int level) {
        if (stopping) {
            finish(level, NOTHING_DUE);
            return;
        }
        delivering[level] = true;
        int queueId = level - 1;
        long offset = offsets.offset(level);
        if (store.maxOffsetInQueue(SystemNames.SCHEDULE_TOPIC, queueId) <= offset) {
            finish(level, NOTHING_DUE);
            return;
        }
        GetResult r = store.get(SystemNames.SCHEDULE_TOPIC, queueId, offset, BATCH_MESSAGES, BATCH_BYTES,
                MessageFilter.ALL);
        switch (r.status()) {
            case FOUND -> deliverNext(level, r.messages().iterator());
            case OFFSET_TOO_SMALL, OFFSET_OVERFLOW_BADLY, OFFSET_FOUND_NULL, NO_MATCHED_MESSAGE -> {
                if (r.nextBeginOffset() > offset) {
                    offsets.advance(level, r.nextBeginOffset());
                    context.runOnContext(v -> deliver(level));
                } else {
                    finish(level, System.currentTimeMillis() + RETRY_AFTER_FAILURE_MS);
                }
            }
            default -> finish(level, System.currentTimeMillis() + RETRY_AFTER_FAILURE_MS);
        }
    }

    /** Puts the due records one by one; stops at the first one not yet due, or on a store failure. */
    private void deliverNext(int level, Iterator<ByteBuffer> records) {
        if (stopping) {
            finish(level, NOTHING_DUE);
            return;
        }
        if (!records.hasNext()) {
            // the next batch on a fresh stack; it also re-reads the queue's end
            context.runOnContext(v -> deliver(level));
            return;
        }
        StoredRecord rec = StoredRecord.decode(records.next());
        long dueMs = rec.storeTimestamp() + DelayLevels.delayMs(level);
        if (dueMs > System.currentTimeMillis()) {
            finish(level, dueMs);
            return;
        }
        StoreMessage m = toRealMessage(rec);
        if (m == null) {
            LOG.warn("scheduled message at {} has no REAL_TOPIC, skipped", rec.physicalOffset());
            offsets.advance(level, rec.queueOffset() + 1);
            deliverNext(level, records);
            return;
        }
        Future.fromCompletionStage(store.put(m), context).onComplete(ar -> {
            PutResult result = ar.succeeded() ? ar.result() : null;
            if (result != null && (result.isStored() || result.status() == PutResult.PutStatus.MESSAGE_ILLEGAL
                    || result.status() == PutResult.PutStatus.PROPERTIES_SIZE_EXCEEDED)) {
                if (!result.isStored()) {
                    LOG.warn("scheduled message at {} refused by the store: {}", rec.physicalOffset(), result.remark());
                }
                offsets.advance(level, rec.queueOffset() + 1);
                deliverNext(level, records);
            } else {
                finish(level, System.currentTimeMillis() + RETRY_AFTER_FAILURE_MS);
            }
        });
    }

    private void finish(int level, long nextDueMs) {
        delivering[level] = false;
        headDueMs[level] = nextDueMs;
        if (stopping) {
            if (idle != null && !anyDelivering()) {
                idle.tryComplete();
            }
            return;
        }
        arm();
    }

    private boolean anyDelivering() {
        for (boolean d : delivering) {
            if (d) {
                return true;
            }
        }
        return false;
    }

    private StoreMessage toRealMessage(StoredRecord rec) {
        ParsedProperties props = ParsedProperties.parse(rec.properties());
        String realTopic = props.get(MessageConst.REAL_TOPIC);
        if (realTopic == null) {
            return null;
        }
        int realQueueId;
        try {
            String realQueue = props.get(MessageConst.REAL_QUEUE_ID);
            realQueueId = realQueue == null ? 0 : Integer.parseInt(realQueue);
        } catch (NumberFormatException e) {
            realQueueId = 0;
        }
        StoreMessage m = rec.rewrite(address.hostBytes(), address.port());
        m.topic = realTopic;
        m.queueId = realQueueId;
        // like 4.9: the properties string is copied as is (it still names DELAY, REAL_TOPIC and REAL_QID)
        m.withProperties(props);
        m.preparedTransactionOffset = rec.preparedTransactionOffset();
        m.tagsCode = TagCodes.of(props.tags());
        return m;
    }
}

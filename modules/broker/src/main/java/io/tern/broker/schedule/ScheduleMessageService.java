package io.tern.broker.schedule;

import io.tern.broker.BrokerServices;
import io.tern.broker.message.MessageCopy;
import io.tern.broker.message.StoredRecord;
import io.tern.common.message.MessageConst;
import io.tern.common.protocol.SystemNames;
import io.tern.store.GetResult;
import io.tern.store.MessageFilter;
import io.tern.store.PutResult;
import io.tern.store.StoreMessage;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import java.nio.ByteBuffer;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Scheduled delivery (spec 6.7): one timer chain per delay level reads SCHEDULE_TOPIC_XXXX queue level−1 from
 * the level's offset in the {@link DelayOffsetTable}; a message is due at its store time plus the level's delay.
 * A due message is copied to its REAL_TOPIC / REAL_QID (properties string kept as stored — the reference's quirk
 * leaves DELAY, REAL_TOPIC and REAL_QID in it; tag code from TAGS) and the level's offset advances once the copy
 * is stored. A head that is not due yet re-arms the timer for its due time; an empty queue is looked at again
 * after {@code scheduleIdleCheckMs}.
 *
 * <p>Thread contract: a verticle; every tick of every level runs on its one event-loop context, and store reads
 * and puts never block. Offsets are persisted by the owner ({@link ScheduleFeature}).
 */
public final class ScheduleMessageService extends VerticleBase {
    private static final Logger LOG = LoggerFactory.getLogger(ScheduleMessageService.class);
    private static final int BATCH = 32;
    private static final int BATCH_BYTES = 4 * 1024 * 1024;
    /** After a failed put the level waits this long (disk full, store shutting down). */
    static final long RETRY_AFTER_FAILURE_MS = 10_000;
    /** A not-yet-due head is re-checked at least this often (clock changes). */
    static final long MAX_WAIT_MS = 10_000;

    private final BrokerServices broker;
    private final DelayOffsetTable offsets;
    private final DelayLevelTable levels;
    private final long idleCheckMs;
    private final long firstDelayMs;
    private final long[] timers = new long[DelayLevelTable.SCHEDULE_QUEUES + 1];
    private boolean stopped;

    public ScheduleMessageService(BrokerServices broker, DelayOffsetTable offsets, DelayLevelTable levels,
                                  long idleCheckMs, long firstDelayMs) {
        this.broker = broker;
        this.offsets = offsets;
        this.levels = levels;
        this.idleCheckMs = Math.max(1, idleCheckMs);
        this.firstDelayMs = Math.max(1, firstDelayMs);
    }

    @Override
    public Future<?> start() {
        for (int level = 1; level <= DelayLevelTable.SCHEDULE_QUEUES; level++) {
            arm(level, firstDelayMs);
        }
        return Future.succeededFuture();
    }

    @Override
    public Future<?> stop() {
        stopped = true;
        for (long t : timers) {
            if (t != 0) {
                vertx.cancelTimer(t);
            }
        }
        return Future.succeededFuture();
    }

    private void arm(int level, long delayMs) {
        if (!stopped) {
            timers[level] = vertx.setTimer(Math.max(1, delayMs), id -> tick(level));
        }
    }

    private void tick(int level) {
        timers[level] = 0;
        if (stopped) {
            return;
        }
        long offset = offsets.get(level);
        GetResult r;
        try {
            r = broker.store.get(SystemNames.SCHEDULE_TOPIC, level - 1, offset, BATCH, BATCH_BYTES,
                    MessageFilter.ALL);
        } catch (RuntimeException e) {
            LOG.warn("delay level {}: reading offset {} failed", level, offset, e);
            arm(level, RETRY_AFTER_FAILURE_MS);
            return;
        }
        if (r.messages().isEmpty()) {
            // end of queue, or offset outside the queue (retention, wiped store): take the store's suggestion
            if (r.nextBeginOffset() != offset) {
                LOG.info("delay level {}: offset {} moved to {} ({})", level, offset, r.nextBeginOffset(), r.status());
                offsets.put(level, r.nextBeginOffset());
                arm(level, 1);
            } else {
                arm(level, idleCheckMs);
            }
            return;
        }
        deliver(level, r.messages(), 0);
    }

    /** Delivers the due records of a batch one after another, in queue order. */
    private void deliver(int level, List<ByteBuffer> batch, int index) {
        if (stopped) {
            return;
        }
        if (index == batch.size()) {
            arm(level, batch.size() == BATCH ? 1 : idleCheckMs);
            return;
        }
        StoredRecord rec = StoredRecord.decode(batch.get(index));
        long dueMs = rec.storeTimestamp() + levels.delayMs(level);
        long now = System.currentTimeMillis();
        if (dueMs > now) {
            offsets.put(level, rec.queueOffset());
            arm(level, Math.min(dueMs - now, MAX_WAIT_MS));
            return;
        }
        StoreMessage copy = realMessage(rec);
        if (copy == null) {
            LOG.warn("delay level {}: record at offset {} has no REAL_TOPIC/REAL_QID, skipped", level,
                    rec.queueOffset());
            offsets.put(level, rec.queueOffset() + 1);
            deliver(level, batch, index + 1);
            return;
        }
        Future.fromCompletionStage(broker.store.put(copy), context).onComplete(ar -> {
            PutResult put = ar.succeeded() ? ar.result() : null;
            if (put != null && put.isStored()) {
                offsets.put(level, rec.queueOffset() + 1);
                deliver(level, batch, index + 1);
            } else {
                LOG.warn("delay level {}: delivering offset {} to {} failed: {}", level, rec.queueOffset(),
                        copy.topic, put != null ? put.status() + " " + put.remark() : ar.cause());
                offsets.put(level, rec.queueOffset());
                arm(level, RETRY_AFTER_FAILURE_MS);
            }
        });
    }

    /** The copy for the real destination, or null when the record does not name one. */
    private StoreMessage realMessage(StoredRecord rec) {
        String topic = rec.property(MessageConst.REAL_TOPIC);
        String qid = rec.property(MessageConst.REAL_QUEUE_ID);
        if (topic == null || qid == null) {
            return null;
        }
        int queueId;
        try {
            queueId = Integer.parseInt(qid.trim());
        } catch (NumberFormatException e) {
            return null;
        }
        // properties string kept verbatim, like the reference (DELAY is only dropped from its in-memory map)
        return MessageCopy.of(broker, rec, topic, queueId, rec.properties());
    }
}

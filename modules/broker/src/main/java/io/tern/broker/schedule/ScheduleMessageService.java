package io.tern.broker.schedule;

import io.tern.broker.BrokerAddress;
import io.tern.broker.config.ConfigFile;
import io.tern.broker.control.ControlBus;
import io.tern.broker.message.StoredRecord;
import io.tern.broker.send.DelayLevels;
import io.tern.common.Json;
import io.tern.common.message.MessageConst;
import io.tern.common.message.MessageProperties;
import io.tern.common.message.TagCodes;
import io.tern.common.protocol.SystemNames;
import io.tern.store.GetResult;
import io.tern.store.MessageFilter;
import io.tern.store.MessageStore;
import io.tern.store.PutResult;
import io.tern.store.StoreMessage;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers delayed messages (spec 6.7): queue {@code level-1} of SCHEDULE_TOPIC_XXXX holds the messages of one
 * delay level in store order, so each level is a FIFO whose head is due at its store time plus the level's delay.
 * Every {@link #TICK_MS} each idle level delivers its due head messages to REAL_TOPIC / REAL_QID, one put at a time
 * so the level offset only advances past stored copies. Level offsets persist as {@code config/delayOffset.json}
 * ({@code {"offsetTable":{"3":12}}}).
 *
 * <p>Confined to the event loop that {@link #start}s it; store puts complete back on that loop.
 */
public final class ScheduleMessageService {
    private static final Logger LOG = LoggerFactory.getLogger(ScheduleMessageService.class);
    static final long TICK_MS = 100;
    private static final int BATCH_MESSAGES = 32;
    private static final int BATCH_BYTES = 1024 * 1024;

    private final BrokerAddress address;
    private final MessageStore store;
    private final long[] offsets = new long[DelayLevels.maxLevel() + 1];
    private final boolean[] busy = new boolean[DelayLevels.maxLevel() + 1];
    private Context context;
    private ControlBus.Ticker ticker;
    private volatile boolean stopped;

    /** The persisted form. */
    public static final class DelayOffsetTable {
        public Map<Integer, Long> offsetTable = new TreeMap<>();
    }

    public ScheduleMessageService(BrokerAddress address, MessageStore store) {
        this.address = address;
        this.store = store;
    }

    /** Blocking: reads config/delayOffset.json at startup. */
    public void load(ConfigFile file) throws IOException {
        byte[] bytes = file.read();
        if (bytes == null) {
            return;
        }
        DelayOffsetTable t = Json.fromBytes(bytes, DelayOffsetTable.class);
        if (t.offsetTable != null) {
            t.offsetTable.forEach((level, offset) -> {
                if (level != null && level >= 1 && level < offsets.length && offset != null) {
                    offsets[level] = offset;
                }
            });
        }
    }

    /** Thread-safe snapshot for persistence. */
    public synchronized byte[] encode() {
        DelayOffsetTable t = new DelayOffsetTable();
        for (int level = 1; level < offsets.length; level++) {
            t.offsetTable.put(level, offsets[level]);
        }
        return Json.toBytes(t);
    }

    /** Starts delivering on the calling context, driven by ticks on the broker's control bus. */
    public void start(Vertx vertx) {
        context = vertx.getOrCreateContext();
        String address = ControlBus.address(this.address.hostPort(), ControlBus.SCHEDULE_TICK);
        context.runOnContext(v -> ticker = ControlBus.tickEvery(vertx, address, TICK_MS, this::tick));
    }

    public void stop(Vertx vertx) {
        stopped = true;
        if (context != null) {
            context.runOnContext(v -> {
                if (ticker != null) {
                    ticker.cancel();
                }
            });
        }
    }

    private void tick() {
        for (int level = 1; level < offsets.length && !stopped; level++) {
            if (!busy[level]) {
                deliver(level);
            }
        }
    }

    private void deliver(int level) {
        int queueId = level - 1;
        long offset = offset(level);
        if (store.maxOffsetInQueue(SystemNames.SCHEDULE_TOPIC, queueId) <= offset) {
            return;
        }
        GetResult r = store.get(SystemNames.SCHEDULE_TOPIC, queueId, offset, BATCH_MESSAGES, BATCH_BYTES,
                MessageFilter.ALL);
        switch (r.status()) {
            case FOUND -> {
                busy[level] = true;
                deliverNext(level, r.messages().iterator());
            }
            case OFFSET_TOO_SMALL, OFFSET_OVERFLOW_BADLY, OFFSET_FOUND_NULL, NO_MATCHED_MESSAGE ->
                    setOffset(level, r.nextBeginOffset());
            default -> {
            }
        }
    }

    /** Puts the due records one by one; stops at the first one not yet due or on a store failure. */
    private void deliverNext(int level, Iterator<ByteBuffer> records) {
        if (stopped || !records.hasNext()) {
            busy[level] = false;
            return;
        }
        StoredRecord rec = StoredRecord.decode(records.next());
        if (rec.storeTimestamp() + DelayLevels.delayMs(level) > System.currentTimeMillis()) {
            busy[level] = false;
            return;
        }
        StoreMessage m = toRealMessage(rec);
        if (m == null) {
            LOG.warn("scheduled message at {} has no REAL_TOPIC, skipped", rec.physicalOffset());
            setOffset(level, rec.queueOffset() + 1);
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
                setOffset(level, rec.queueOffset() + 1);
                deliverNext(level, records);
            } else {
                // store not writable: retry from this message on a later tick
                busy[level] = false;
            }
        });
    }

    private StoreMessage toRealMessage(StoredRecord rec) {
        Map<String, String> props = MessageProperties.parse(rec.properties());
        String realTopic = props.get(MessageConst.REAL_TOPIC);
        if (realTopic == null) {
            return null;
        }
        int realQueueId;
        try {
            realQueueId = Integer.parseInt(props.getOrDefault(MessageConst.REAL_QUEUE_ID, "0"));
        } catch (NumberFormatException e) {
            realQueueId = 0;
        }
        StoreMessage m = rec.rewrite(address.hostBytes(), address.port());
        m.topic = realTopic;
        m.queueId = realQueueId;
        // like 4.9: the properties string is copied as is (it still names DELAY, REAL_TOPIC and REAL_QID)
        m.properties = rec.properties();
        m.preparedTransactionOffset = rec.preparedTransactionOffset();
        m.tagsCode = TagCodes.of(props.get(MessageConst.TAGS));
        return m;
    }

    private synchronized long offset(int level) {
        return offsets[level];
    }

    private synchronized void setOffset(int level, long offset) {
        offsets[level] = Math.max(offsets[level], offset);
    }

    /** A slave takes its master's level offsets (GET_ALL_DELAY_OFFSET body). */
    public synchronized void replaceWith(Map<Integer, Long> master) {
        master.forEach((level, offset) -> {
            if (level != null && level >= 1 && level < offsets.length && offset != null) {
                offsets[level] = offset;
            }
        });
    }

    /** Level offsets for GET_ALL_DELAY_OFFSET and runtime info. */
    public synchronized List<Long> offsets() {
        java.util.ArrayList<Long> out = new java.util.ArrayList<>();
        for (int level = 1; level < offsets.length; level++) {
            out.add(offsets[level]);
        }
        return out;
    }
}

package io.tern.broker.schedule;

import io.tern.broker.BrokerAddress;
import io.tern.broker.config.ConfigFile;
import io.tern.broker.control.BrokerBus;
import io.tern.broker.message.StoredRecord;
import io.tern.common.message.MessageConst;
import io.tern.common.message.ParsedProperties;
import io.tern.common.message.TagCodes;
import io.tern.common.protocol.SystemNames;
import io.tern.remoting.bus.LocalCodec;
import io.tern.store.GetResult;
import io.tern.store.MessageFilter;
import io.tern.store.MessageStore;
import io.tern.store.PutResult;
import io.tern.store.StoreConfig;
import io.tern.store.StoreMessage;
import io.tern.store.timer.TimerLog;
import io.tern.store.timer.TimerStore;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers timer messages (src-docs/timers.md), a worker verticle: every file operation of the {@link TimerStore}
 * may block, so none of it runs on an event loop.
 *
 * <p>Enqueue: the send path stored each timer in queue 0 of rmq_sys_wheel_timer; told of new entries over the
 * broker's bus ({@link BrokerBus#timerMessageStored}), this verticle reads the queue from the timer store's
 * enqueue offset and links each one into the wheel at its due tick. Delivery: it sleeps on one timer until the
 * next occupied tick is due, then walks that tick's chain, putting each message to its REAL_TOPIC / REAL_QID — or,
 * for a timer beyond the wheel's window, writing it again to the timer topic (a roll: the copy is linked anew,
 * further ahead, and the commit log keeps a fresh copy within its retention). Only after every put of a tick
 * completed does the tick count as delivered. Every {@code timerFlushIntervalMs}, if timers were enqueued or
 * delivered since the last time, the files are flushed and the checkpoint written (not in the middle of a tick).
 *
 * <p>What this verticle holds on the heap does not grow with pending timers: the wheel's occupied-slot bits, one
 * counter per topic ({@link TimerPending}) and at most one chunk of puts in flight.
 *
 * <p>Every field is confined to this verticle's worker context (pool {@link #POOL}, one thread).
 */
public final class TimerDeliveryVerticle extends VerticleBase {
    private static final Logger LOG = LoggerFactory.getLogger(TimerDeliveryVerticle.class);
    /** The one-thread worker pool it is deployed on (thread {@code tern-timer-0}). */
    public static final String POOL = "tern-timer";
    /** A put refused for a passing reason (store not writable) is tried again after this long. */
    static final long RETRY_AFTER_FAILURE_MS = 1000;
    private static final int READ_MESSAGES = 32;
    private static final int READ_BYTES = 1024 * 1024;
    /** Timers enqueued in one turn before yielding the worker to deliveries and checkpoints. */
    private static final int ENQUEUE_PER_TURN = 8192;
    /** Puts in flight while a tick is delivered. */
    private static final int PUTS_IN_FLIGHT = 64;

    private final BrokerAddress address;
    private final MessageStore store;
    private final StoreConfig config;
    private final TimerPending pending;
    private final ConfigFile pendingFile;
    private TimerStore timers;
    private boolean enqueueRequested;
    /** The tick being delivered, or -1. */
    private long deliveringTick = -1;
    private long wakeTimerId = -1;
    private long wakeTick = Long.MAX_VALUE;
    private long flushTimerId = -1;
    private boolean checkpointAfterTick;
    /** Timers were enqueued or delivered since the last checkpoint (an idle wheel writes nothing). */
    private boolean dirty;
    private boolean stopping;
    private Promise<Void> idle;

    public TimerDeliveryVerticle(BrokerAddress address, MessageStore store, StoreConfig config, TimerPending pending) {
        this.address = address;
        this.store = store;
        this.config = config;
        this.pending = pending;
        this.pendingFile = new ConfigFile(Path.of(config.storeRoot, "config"), "timerPending.json");
    }

    @Override
    public Future<?> start() throws IOException {
        LocalCodec.registerOnce(vertx);
        pending.load(pendingFile);
        timers = TimerStore.open(Path.of(config.storeRoot), config.timerPrecisionMs, config.timerRollWindowSlots,
                config.timerLogFileSize, System.currentTimeMillis(), this::countRecovered);
        MessageConsumer<Object> stored = vertx.eventBus().localConsumer(
                BrokerBus.timerMessageStored(address.hostPort()), m -> requestEnqueue());
        MessageConsumer<Object> status = vertx.eventBus().localConsumer(
                BrokerBus.timerStatus(address.hostPort()), m -> m.reply(status()));
        flushTimerId = vertx.setPeriodic(Math.max(10, config.timerFlushIntervalMs), id -> checkpoint());
        // listening first: a timer stored during the first enqueue is either read by it or notified after it
        requestEnqueue();
        return Future.all(stored.completion(), status.completion());
    }

    @Override
    public Future<?> stop() {
        stopping = true;
        cancelWake();
        vertx.cancelTimer(flushTimerId);
        if (deliveringTick < 0) {
            close();
            return Future.succeededFuture();
        }
        idle = Promise.promise();
        return idle.future();
    }

    private void close() {
        dirty = true;
        checkpoint();
        timers.close();
    }

    private void countRecovered(TimerLog.Entry e) {
        String topic = realTopicAt(e);
        if (topic != null) {
            pending.add(topic, 1);
        }
    }

    private String realTopicAt(TimerLog.Entry e) {
        StoredRecord rec = timerRecordAt(e);
        return rec == null ? null : ParsedProperties.parse(rec.properties()).get(MessageConst.REAL_TOPIC);
    }

    // ---- enqueue: rmq_sys_wheel_timer → wheel

    private void requestEnqueue() {
        if (!enqueueRequested && !stopping) {
            enqueueRequested = true;
            context.runOnContext(v -> enqueue());
        }
    }

    private void enqueue() {
        enqueueRequested = false;
        if (stopping) {
            return;
        }
        long firstOpenTick = deliveringTick >= 0 ? deliveringTick + 1 : timers.dequeueTick();
        long end = store.maxOffsetInQueue(SystemNames.TIMER_TOPIC, 0);
        int linked = 0;
        try {
            while (timers.enqueueOffset() < end && linked < ENQUEUE_PER_TURN) {
                long offset = timers.enqueueOffset();
                GetResult r = store.get(SystemNames.TIMER_TOPIC, 0, offset, READ_MESSAGES, READ_BYTES,
                        MessageFilter.ALL);
                if (r.status() == GetResult.GetStatus.FOUND) {
                    for (ByteBuffer record : r.messages()) {
                        enqueueOne(record, firstOpenTick);
                        linked++;
                    }
                    timers.skipTo(r.nextBeginOffset());
                } else if (r.nextBeginOffset() > offset) {
                    LOG.warn("timer topic entries [{}, {}) unreadable ({}), skipped", offset, r.nextBeginOffset(),
                            r.status());
                    timers.skipTo(r.nextBeginOffset());
                } else {
                    vertx.setTimer(RETRY_AFTER_FAILURE_MS, id -> requestEnqueue());
                    break;
                }
            }
        } catch (IOException e) {
            LOG.warn("cannot write the timer log, trying again in {} ms: {}", RETRY_AFTER_FAILURE_MS, e.toString());
            vertx.setTimer(RETRY_AFTER_FAILURE_MS, id -> requestEnqueue());
        }
        if (linked >= ENQUEUE_PER_TURN) {
            requestEnqueue();
        }
        arm();
    }

    private void enqueueOne(ByteBuffer record, long firstOpenTick) throws IOException {
        StoredRecord rec = StoredRecord.decode(record.duplicate());
        ParsedProperties props = ParsedProperties.parse(rec.properties());
        String realTopic = props.get(MessageConst.REAL_TOPIC);
        long dueMs = parseLong(props.get(MessageConst.TIMER_OUT_MS));
        if (realTopic == null || dueMs == Long.MIN_VALUE) {
            LOG.warn("timer topic entry {} has no REAL_TOPIC or TIMER_OUT_MS, skipped", rec.queueOffset());
            timers.skipTo(rec.queueOffset() + 1);
            return;
        }
        timers.link(record.remaining(), rec.physicalOffset(), dueMs, rec.queueOffset(), firstOpenTick);
        pending.add(realTopic, 1);
        dirty = true;
    }

    // ---- delivery: wheel → real topics

    /** Delivers the next occupied tick if it is due, or sleeps until it is. */
    private void arm() {
        if (stopping || deliveringTick >= 0) {
            return;
        }
        long now = System.currentTimeMillis();
        long nowTick = Math.floorDiv(now, timers.precisionMs());
        long next = timers.nextOccupiedTick();
        // the empty ticks up to now are passed: the window of the wheel moves on with the clock
        timers.advanceDequeueTo(next < 0 ? nowTick : Math.min(next, nowTick));
        if (next < 0) {
            cancelWake();
        } else if (timers.dueMsOf(next) <= now) {
            cancelWake();
            deliver(next);
        } else if (wakeTimerId < 0 || wakeTick > next) {
            cancelWake();
            wakeTick = next;
            wakeTimerId = vertx.setTimer(Math.max(1, timers.dueMsOf(next) - now), id -> {
                wakeTimerId = -1;
                wakeTick = Long.MAX_VALUE;
                arm();
            });
        }
    }

    private void cancelWake() {
        if (wakeTimerId >= 0) {
            vertx.cancelTimer(wakeTimerId);
            wakeTimerId = -1;
            wakeTick = Long.MAX_VALUE;
        }
    }

    private void deliver(long tick) {
        deliveringTick = tick;
        timers.advanceDequeueTo(tick);
        deliverFrom(tick, timers.newest(tick));
    }

    /** Puts the next chunk of the tick's chain, from {@code entry} backwards. */
    private void deliverFrom(long tick, TimerLog.Entry entry) {
        List<TimerLog.Entry> chunk = new ArrayList<>(PUTS_IN_FLIGHT);
        TimerLog.Entry e = entry;
        while (e != null && chunk.size() < PUTS_IN_FLIGHT) {
            chunk.add(e);
            e = timers.previous(e);
        }
        if (chunk.isEmpty()) {
            tickDelivered(tick);
        } else {
            deliverChunk(tick, chunk, e);
        }
    }

    private void deliverChunk(long tick, List<TimerLog.Entry> chunk, TimerLog.Entry rest) {
        List<Future<Boolean>> puts = new ArrayList<>(chunk.size());
        for (TimerLog.Entry e : chunk) {
            puts.add(deliverOne(tick, e));
        }
        Future.join(puts).onComplete(ar -> {
            List<TimerLog.Entry> failed = new ArrayList<>();
            for (int i = 0; i < puts.size(); i++) {
                if (puts.get(i).failed() || !puts.get(i).result()) {
                    failed.add(chunk.get(i));
                }
            }
            if (stopping) {
                stopped();
            } else if (!failed.isEmpty()) {
                vertx.setTimer(RETRY_AFTER_FAILURE_MS, id -> {
                    if (stopping) {
                        stopped();
                    } else {
                        deliverChunk(tick, failed, rest);
                    }
                });
            } else {
                context.runOnContext(v -> deliverFrom(tick, rest));
            }
        });
    }

    /** Completes with true once the timer is delivered, rolled or found unusable; false to try it again. */
    private Future<Boolean> deliverOne(long tick, TimerLog.Entry e) {
        StoredRecord rec = timerRecordAt(e);
        if (rec == null) {
            LOG.warn("timer at timer-log position {} names no timer record at commit-log offset {}, skipped",
                    e.position(), e.commitLogOffset());
            return Future.succeededFuture(true);
        }
        ParsedProperties props = ParsedProperties.parse(rec.properties());
        String realTopic = props.get(MessageConst.REAL_TOPIC);
        boolean roll = timers.tickOf(e.dueMs()) > tick;
        StoreMessage m = roll ? rolled(rec, props, e.dueMs()) : real(rec, props);
        if (m == null) {
            LOG.warn("timer at commit-log offset {} has no REAL_TOPIC, skipped", e.commitLogOffset());
            return Future.succeededFuture(true);
        }
        return Future.fromCompletionStage(store.put(m), context).map(result -> {
            boolean done = result.isStored() || result.status() == PutResult.PutStatus.MESSAGE_ILLEGAL
                    || result.status() == PutResult.PutStatus.PROPERTIES_SIZE_EXCEEDED;
            if (done) {
                if (!result.isStored()) {
                    LOG.warn("timer at commit-log offset {} refused by the store: {}", e.commitLogOffset(),
                            result.remark());
                }
                pending.add(realTopic, -1);
            }
            return done;
        });
    }

    /** The timer-topic record an entry points at, or null when the commit log no longer holds it. */
    private StoredRecord timerRecordAt(TimerLog.Entry e) {
        ByteBuffer buf = store.messageAt(e.commitLogOffset());
        if (buf == null) {
            return null;
        }
        try {
            StoredRecord rec = StoredRecord.decode(buf);
            return SystemNames.TIMER_TOPIC.equals(rec.topic()) && rec.queueOffset() == e.queueOffset() ? rec : null;
        } catch (IllegalArgumentException notARecord) {
            return null;
        }
    }

    /** The message as its producer sent it, for its real topic and queue. */
    private StoreMessage real(StoredRecord rec, ParsedProperties props) {
        String realTopic = props.remove(MessageConst.REAL_TOPIC);
        String realQueue = props.remove(MessageConst.REAL_QUEUE_ID);
        if (realTopic == null) {
            return null;
        }
        props.put(MessageConst.TIMER_DEQUEUE_MS, String.valueOf(System.currentTimeMillis()));
        StoreMessage m = rec.rewrite(address.hostBytes(), address.port());
        m.topic = realTopic;
        m.queueId = (int) Math.max(0, parseLong(realQueue));
        m.preparedTransactionOffset = rec.preparedTransactionOffset();
        m.tagsCode = TagCodes.of(props.tags());
        return m.withProperties(props);
    }

    /** A fresh copy of a timer beyond the window, written to the timer topic again. */
    private StoreMessage rolled(StoredRecord rec, ParsedProperties props, long dueMs) {
        if (props.get(MessageConst.REAL_TOPIC) == null) {
            return null;
        }
        long rolls = Math.max(0, parseLong(props.get(MessageConst.TIMER_ROLL_TIMES)));
        props.put(MessageConst.TIMER_ROLL_TIMES, String.valueOf(rolls + 1));
        StoreMessage m = rec.rewrite(address.hostBytes(), address.port());
        m.topic = SystemNames.TIMER_TOPIC;
        m.queueId = 0;
        m.tagsCode = dueMs;
        return m.withProperties(props);
    }

    private void tickDelivered(long tick) {
        timers.delivered(tick);
        deliveringTick = -1;
        dirty = true;
        if (stopping) {
            stopped();
            return;
        }
        if (checkpointAfterTick) {
            checkpoint();
        }
        requestEnqueue();
        context.runOnContext(v -> arm());
    }

    /** A delivery in hand ended while stopping: the tick starts over after the restart. */
    private void stopped() {
        deliveringTick = -1;
        if (idle != null) {
            close();
            idle.tryComplete();
        }
    }

    // ---- persistence and status

    /** Flushes the timer files and writes the checkpoint; deferred to the end of a tick being delivered. */
    private void checkpoint() {
        if (deliveringTick >= 0) {
            checkpointAfterTick = true;
            return;
        }
        checkpointAfterTick = false;
        if (!dirty) {
            return;
        }
        dirty = false;
        try {
            pending.persist(pendingFile);
            timers.checkpoint();
            timers.deleteDeliveredSegments();
        } catch (IOException e) {
            dirty = true;
            LOG.warn("timer checkpoint failed, trying again at the next: {}", e.toString());
        }
    }

    private JsonObject status() {
        JsonObject byTopic = new JsonObject();
        pending.snapshot().forEach(byTopic::put);
        return new JsonObject()
                .put("precisionMs", timers.precisionMs())
                .put("maxDelaySec", config.timerMaxDelaySec)
                .put("rollWindowMs", (long) config.timerRollWindowSlots * timers.precisionMs())
                .put("pendingTotal", pending.total())
                .put("pending", byTopic)
                .put("nextDueMs", nextDueMs())
                .put("deliveredUpToMs", timers.dueMsOf(timers.dequeueTick()) - timers.precisionMs())
                .put("enqueueOffset", timers.enqueueOffset())
                .put("timerLogBytes", timers.logBytes())
                .put("timerLogSegments", timers.logSegments());
    }

    private Long nextDueMs() {
        long next = timers.nextOccupiedTick();
        return next < 0 ? null : timers.dueMsOf(next);
    }

    private static long parseLong(String s) {
        if (s == null) {
            return Long.MIN_VALUE;
        }
        try {
            return Long.parseLong(s.trim());
        } catch (NumberFormatException e) {
            return Long.MIN_VALUE;
        }
    }
}

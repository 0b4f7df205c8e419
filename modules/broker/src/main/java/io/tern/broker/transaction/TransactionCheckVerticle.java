package io.tern.broker.transaction;

import io.tern.broker.BrokerAddress;
import io.tern.broker.BrokerConfig;
import io.tern.broker.client.ClientChannel;
import io.tern.broker.client.ProducerRegistry;
import io.tern.broker.config.ConsumerOffsetManager;
import io.tern.broker.control.BrokerBus;
import io.tern.broker.control.HalfMessageStored;
import io.tern.broker.control.TransactionEnded;
import io.tern.broker.message.StoredRecord;
import io.tern.common.message.MessageConst;
import io.tern.common.message.MessageIds;
import io.tern.common.message.ParsedProperties;
import io.tern.common.protocol.SystemNames;
import io.tern.remoting.bus.LocalCodec;
import io.tern.remoting.protocol.RemotingCommand;
import io.tern.remoting.protocol.RequestCode;
import io.tern.store.GetResult;
import io.tern.store.MessageFilter;
import io.tern.store.MessageStore;
import io.tern.store.PutResult;
import io.tern.store.StoreMessage;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.MessageConsumer;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Asks producers about unfinished transactions (spec 6.8).
 *
 * <p><b>A check round</b> reads the op records to learn which half messages are finished, then walks
 * RMQ_SYS_TRANS_HALF_TOPIC queue 0 from the check offset. An unfinished half message that is due is re-written to
 * the half topic with one more TRANSACTION_CHECK_TIMES, and CHECK_TRANSACTION_STATE for that copy goes to a
 * producer of its PGROUP; after {@code transactionCheckMax} checks it is moved to TRANS_CHECK_MAX_TIME_TOPIC
 * instead. A half message is due {@code transactionTimeOutMs} (or its CHECK_IMMUNITY_TIME_IN_SECONDS) after it was
 * born; a copy written by a check, {@code transactionCheckIntervalMs} after it was stored, so a producer is asked
 * at most once per interval. The round stops at the first half message not yet due. Progress is kept as offsets of
 * the group CID_RMQ_SYS_TRANS (persisted with the consumer offsets): every round starts from persisted state.
 *
 * <p><b>When rounds run.</b> A round is due when the oldest half message known to be unfinished is. The verticle
 * learns of stored half messages ({@link BrokerBus#halfMessageStored}, from
 * {@link io.tern.broker.control.SystemTopicArrivals}) and of END_TRANSACTION outcomes
 * ({@link BrokerBus#transactionEnded}, from {@link EndTransactionProcessor}) over the broker's bus: a transaction
 * ended before its check time costs no round. A safety round also runs when the verticle starts and every
 * {@code transactionCheckIntervalMs}, from the persisted offsets alone: it finds what no notification told, such
 * as half messages stored while no checker was deployed (a restart, a redeploy).
 *
 * <p>Runs on its own event loop; every field is confined to it. Undeploying lets the half message in hand finish
 * (copy stored, producer asked, offset advanced), so a checker deployed again resumes where this one stopped,
 * without asking twice and without skipping one.
 */
public final class TransactionCheckVerticle extends VerticleBase {
    private static final Logger LOG = LoggerFactory.getLogger(TransactionCheckVerticle.class);
    private static final String GROUP = SystemNames.TRANS_CHECK_GROUP;
    private static final String HALF = SystemNames.TRANS_HALF_TOPIC;
    private static final String OP = SystemNames.TRANS_OP_HALF_TOPIC;
    private static final int BATCH = 32;
    private static final int BATCH_BYTES = 1024 * 1024;
    /** Bound on op records read per check, so one check never stalls the event loop for long. */
    private static final int MAX_OPS_PER_CHECK = 20_000;
    /** A half message whose copy could not be stored (store not writable) is tried again after this long. */
    static final long RETRY_AFTER_FAILURE_MS = 1000;

    private final BrokerConfig config;
    private final BrokerAddress address;
    private final MessageStore store;
    private final ConsumerOffsetManager offsets;
    private final ProducerRegistry producers;
    /** Half messages known to be unfinished, by queue offset → when their check is due. */
    private final NavigableMap<Long, Long> dueByOffset = new TreeMap<>();
    private long roundTimerId = -1;
    private long roundTimerDueMs;
    private long safetyTimerId = -1;
    private boolean running;
    private boolean stopping;
    private Promise<Void> idle;

    public TransactionCheckVerticle(BrokerConfig config, BrokerAddress address, MessageStore store,
                                    ConsumerOffsetManager offsets, ProducerRegistry producers) {
        this.config = config;
        this.address = address;
        this.store = store;
        this.offsets = offsets;
        this.producers = producers;
    }

    @Override
    public Future<?> start() {
        LocalCodec.registerOnce(vertx);
        MessageConsumer<HalfMessageStored> halves = vertx.eventBus().localConsumer(
                BrokerBus.halfMessageStored(address.hostPort()), m -> onHalfStored(m.body()));
        MessageConsumer<TransactionEnded> ends = vertx.eventBus().localConsumer(
                BrokerBus.transactionEnded(address.hostPort()), m -> onEnded(m.body()));
        safetyTimerId = vertx.setPeriodic(Math.max(100, config.transactionCheckIntervalMs), id -> round());
        round();
        return Future.join(halves.completion(), ends.completion());
    }

    @Override
    public Future<?> stop() {
        stopping = true;
        cancelRoundTimer();
        vertx.cancelTimer(safetyTimerId);
        if (!running) {
            return Future.succeededFuture();
        }
        idle = Promise.promise();
        return idle.future();
    }

    private void onHalfStored(HalfMessageStored stored) {
        if (stopping || stored.queueOffset() < offset(HALF)) {
            return; // a round already walked past it
        }
        dueByOffset.putIfAbsent(stored.queueOffset(), stored.storeTimestampMs() + config.transactionTimeOutMs);
        scheduleRound();
    }

    private void onEnded(TransactionEnded ended) {
        if (dueByOffset.remove(ended.halfQueueOffset()) != null) {
            scheduleRound();
        }
    }

    /**
     * Sets the round timer to the check time of the lowest unfinished half message known: a round cannot get past
     * it before then (it stops at the first one not due), and when the first is finished the next one counts.
     */
    private void scheduleRound() {
        if (running || stopping) {
            return;
        }
        Map.Entry<Long, Long> first = dueByOffset.firstEntry();
        if (first == null) {
            cancelRoundTimer();
            return;
        }
        long dueMs = first.getValue();
        if (roundTimerId >= 0 && roundTimerDueMs == dueMs) {
            return;
        }
        cancelRoundTimer();
        roundTimerDueMs = dueMs;
        roundTimerId = vertx.setTimer(Math.max(1, dueMs - System.currentTimeMillis()), id -> {
            roundTimerId = -1;
            round();
        });
    }

    private void cancelRoundTimer() {
        if (roundTimerId >= 0) {
            vertx.cancelTimer(roundTimerId);
            roundTimerId = -1;
        }
    }

    /** One check round (skipped while the previous one still runs). */
    void round() {
        if (running || stopping || store.maxOffsetInQueue(HALF, 0) <= 0) {
            return;
        }
        running = true;
        cancelRoundTimer();
        long halfOffset = offset(HALF);
        long opOffset = offset(OP);
        Set<Long> finished = new HashSet<>();
        Deque<long[]> opRefs = new ArrayDeque<>();
        readOps(opOffset, finished, opRefs);
        // copies written by this round land past this end; they are due one check interval later
        long end = store.maxOffsetInQueue(HALF, 0);
        walk(halfOffset, end, finished, () -> {
            long newHalf = offset(HALF);
            long newOp = opOffset;
            // op records of half messages we are past are no longer needed
            while (!opRefs.isEmpty() && opRefs.peekFirst()[1] < newHalf) {
                newOp = opRefs.pollFirst()[0] + 1;
            }
            offsets.commit(GROUP, OP, 0, newOp);
            dueByOffset.headMap(newHalf).clear();
            running = false;
            if (stopping) {
                if (idle != null) {
                    idle.tryComplete();
                }
            } else {
                scheduleRound();
            }
        });
    }

    private long offset(String topic) {
        long o = offsets.query(GROUP, topic, 0);
        return o >= 0 ? o : store.minOffsetInQueue(topic, 0);
    }

    /** Collects the half offsets named by op records from {@code from}: (op offset, half offset) in op order. */
    private void readOps(long from, Set<Long> finished, Deque<long[]> refs) {
        long offset = from;
        long max = store.maxOffsetInQueue(OP, 0);
        while (offset < max && refs.size() < MAX_OPS_PER_CHECK) {
            GetResult r = store.get(OP, 0, offset, BATCH, BATCH_BYTES, MessageFilter.ALL);
            if (r.status() != GetResult.GetStatus.FOUND) {
                if (r.nextBeginOffset() <= offset) {
                    return;
                }
                offset = r.nextBeginOffset();
                continue;
            }
            for (ByteBuffer b : r.messages()) {
                StoredRecord op = StoredRecord.decode(b);
                long half = TransactionMessages.parseLong(
                        StandardCharsets.UTF_8.decode(op.body().duplicate()).toString(), -1);
                if (half >= 0) {
                    finished.add(half);
                    refs.addLast(new long[] {op.queueOffset(), half});
                }
            }
            offset = r.nextBeginOffset();
        }
    }

    private void walk(long from, long end, Set<Long> finished, Runnable done) {
        if (stopping || from >= end) {
            done.run();
            return;
        }
        GetResult r = store.get(HALF, 0, from, (int) Math.min(BATCH, end - from), BATCH_BYTES,
                MessageFilter.ALL);
        if (r.status() != GetResult.GetStatus.FOUND) {
            if (r.nextBeginOffset() > from && r.status() != GetResult.GetStatus.OFFSET_OVERFLOW_ONE) {
                offsets.commit(GROUP, HALF, 0, r.nextBeginOffset());
            }
            done.run();
            return;
        }
        // the next batch starts on a fresh stack: a long run of finished half messages completes synchronously
        next(r.messages(), 0, finished,
                () -> context.runOnContext(v -> walk(r.nextBeginOffset(), end, finished, done)), done);
    }

    /** Handles records[i..]; {@code more} continues with the next batch, {@code done} ends the round. */
    private void next(List<ByteBuffer> records, int i, Set<Long> finished, Runnable more, Runnable done) {
        if (stopping) {
            done.run();
            return;
        }
        if (i >= records.size()) {
            more.run();
            return;
        }
        StoredRecord half = StoredRecord.decode(records.get(i));
        ParsedProperties props = ParsedProperties.parse(half.properties());
        long prepared = TransactionMessages.parseLong(props.get(MessageConst.TRAN_PREPARED_QUEUE_OFFSET), -1);
        Runnable advance = () -> {
            offsets.commit(GROUP, HALF, 0, half.queueOffset() + 1);
            next(records, i + 1, finished, more, done);
        };
        if (finished.contains(half.queueOffset()) || (prepared >= 0 && finished.contains(prepared))) {
            advance.run();
            return;
        }
        int checks = TransactionMessages.parseInt(props.get(MessageConst.TRANSACTION_CHECK_TIMES));
        long dueMs = checkDueMs(half, props, checks, prepared);
        if (System.currentTimeMillis() < dueMs) {
            dueByOffset.put(half.queueOffset(), dueMs);
            done.run();
            return;
        }
        boolean giveUp = checks >= config.transactionCheckMax;
        StoreMessage copy = giveUp ? TransactionMessages.givenUp(address, half)
                : TransactionMessages.recheckCopy(address, half);
        Future.fromCompletionStage(store.put(copy), context).onComplete(ar -> {
            PutResult result = ar.succeeded() ? ar.result() : null;
            if (result == null || !result.isStored()) {
                LOG.warn("transaction check: re-writing half message {} failed: {}", half.physicalOffset(),
                        result == null ? ar.cause() : result.status());
                dueByOffset.put(half.queueOffset(), System.currentTimeMillis() + RETRY_AFTER_FAILURE_MS);
                done.run();
                return;
            }
            if (giveUp) {
                LOG.warn("half message {} given up after {} checks", half.physicalOffset(),
                        config.transactionCheckMax);
            } else {
                dueByOffset.put(result.queueOffset(),
                        result.storeTimestamp() + config.transactionCheckIntervalMs);
                askProducer(half, copy, result);
            }
            advance.run();
        });
    }

    /**
     * When a half message may be checked: a producer's, once {@code transactionTimeOutMs} (or its
     * CHECK_IMMUNITY_TIME_IN_SECONDS) passed since it was born; a copy written by an earlier check, one check
     * interval after it was stored.
     */
    private long checkDueMs(StoredRecord half, ParsedProperties props, int checks, long prepared) {
        if (checks > 0) {
            return half.storeTimestamp() + config.transactionCheckIntervalMs;
        }
        long immunityMs = config.transactionTimeOutMs;
        String immunity = props.get(MessageConst.CHECK_IMMUNITY_TIME_IN_SECONDS);
        if (immunity != null && prepared < 0) {
            immunityMs = Math.max(immunityMs, TransactionMessages.parseLong(immunity, 0) * 1000);
        }
        return half.bornTimestamp() + immunityMs;
    }

    private void askProducer(StoredRecord half, StoreMessage copy, PutResult stored) {
        ParsedProperties props = ParsedProperties.parse(copy.properties);
        String group = props.get(MessageConst.PRODUCER_GROUP);
        List<ClientChannel> channels = group == null ? List.of() : producers.channels(group).stream()
                .filter(c -> !c.connection.isClosed()).toList();
        if (channels.isEmpty()) {
            LOG.debug("no producer of group {} online to check half message {}", group, stored.physicalOffset());
            return;
        }
        ClientChannel producer = channels.get(ThreadLocalRandom.current().nextInt(channels.size()));
        String uniqKey = props.get(MessageConst.UNIQ_KEY);
        String realTopic = (props.get(MessageConst.REAL_TOPIC) == null ? HALF : props.get(MessageConst.REAL_TOPIC));
        int realQueueId = TransactionMessages.parseInt(props.get(MessageConst.REAL_QUEUE_ID));
        StoredRecord asStored = new StoredRecord(half.queueId(), half.flag(), stored.queueOffset(),
                stored.physicalOffset(), half.sysFlag(), half.bornTimestamp(), half.bornHost(), half.bornPort(),
                stored.storeTimestamp(), address.hostBytes(), address.port(), half.reconsumeTimes(),
                half.preparedTransactionOffset(), half.body(), HALF, copy.properties);
        RemotingCommand check = RemotingCommand.onewayRequest(RequestCode.CHECK_TRANSACTION_STATE)
                .put("tranStateTableOffset", stored.queueOffset())
                .put("commitLogOffset", stored.physicalOffset())
                .put("msgId", uniqKey)
                .put("transactionId", uniqKey)
                .put("offsetMsgId", MessageIds.offsetMsgId(address.hostBytes(), address.port(),
                        stored.physicalOffset()))
                .body(Buffer.buffer(toBytes(asStored.encodeAs(realTopic, realQueueId, copy.properties))));
        producer.connection.oneway(check);
    }

    private static byte[] toBytes(ByteBuffer b) {
        byte[] out = new byte[b.remaining()];
        b.duplicate().get(out);
        return out;
    }
}

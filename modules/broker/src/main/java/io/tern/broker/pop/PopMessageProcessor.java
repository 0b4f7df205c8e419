package io.tern.broker.pop;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.tern.broker.BrokerAddress;
import io.tern.broker.BrokerConfig;
import io.tern.broker.BrokerStats;
import io.tern.broker.config.ConsumerOffsetManager;
import io.tern.broker.config.SubscriptionGroupConfig;
import io.tern.broker.config.SubscriptionGroupManager;
import io.tern.broker.config.TopicConfigManager;
import io.tern.broker.metrics.TrafficMeters;
import io.tern.common.message.StoredRecordLayout;
import io.tern.common.protocol.PermName;
import io.tern.common.protocol.TopicConfig;
import io.tern.remoting.RemotingChannel;
import io.tern.remoting.protocol.RemotingCommand;
import io.tern.remoting.protocol.ResponseCode;
import io.tern.store.GetResult;
import io.tern.store.GetResult.GetStatus;
import io.tern.store.MessageFilter;
import io.tern.store.MessageStore;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.internal.buffer.BufferInternal;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * POP_MESSAGE (200050): takes up to {@code maxMsgNums} messages of a group from one queue or from every queue of a
 * topic (queueId -1) — and from the group's pop retry topic of it — and makes them invisible to the group for
 * {@code invisibleTime} ms. Per queue read: the messages from the group's offset, a {@link PopCheckpoint} written to
 * the {@link ReviveLog}, then the offset moved past them; a queue is held by one pop at a time while that happens.
 * Nothing to take and a {@code pollTime}: the request waits ({@link PopPolling}) for an arrival on any of its queues.
 * An ordered pop ({@code order=true}) reads no retry topic and leaves the offset to the acks ({@link OrderedPops}).
 *
 * <p>The response header carries what the client turns into each message's POP_CK extra info: popTime,
 * invisibleTime, reviveQid, restNum and, per queue, {@code startOffsetInfo} ("mark queueId startOffset"),
 * {@code msgOffsetInfo} ("mark queueId o1,o2,...") and for an ordered pop {@code orderCountInfo}
 * ("mark qo&lt;queueId&gt;%&lt;offset&gt; count"), entries joined by ';'.
 *
 * <p>Runs on the connection's event loop; reads do not block, checkpoint writes complete on the loop.
 */
public final class PopMessageProcessor {
    /** The reference answers POLLING_TIMEOUT to a request that arrives this late after its poll time. */
    private static final long LATE_ARRIVAL_MS = 500;
    private static final long MAX_POLL_MS = 60_000;
    private static final int CONSUME_INIT_MIN = 0;

    private final BrokerConfig config;
    private final BrokerAddress address;
    private final MessageStore store;
    private final TopicConfigManager topics;
    private final SubscriptionGroupManager groups;
    private final ConsumerOffsetManager offsets;
    private final PopCheckpointTable table;
    private final ReviveLog reviveLog;
    private final OrderedPops ordered;
    private final PopPolling polling;
    private final BrokerStats stats;
    private final TrafficMeters traffic;
    /** group@topic@queueId of the queues a pop is reading and checkpointing right now. */
    private final Set<String> busyQueues = ConcurrentHashMap.newKeySet();
    private final AtomicInteger rounds = new AtomicInteger();

    PopMessageProcessor(BrokerConfig config, BrokerAddress address, MessageStore store, TopicConfigManager topics,
                        SubscriptionGroupManager groups, ConsumerOffsetManager offsets, PopCheckpointTable table,
                        ReviveLog reviveLog, OrderedPops ordered, PopPolling polling, BrokerStats stats,
                        TrafficMeters traffic) {
        this.config = config;
        this.address = address;
        this.store = store;
        this.topics = topics;
        this.groups = groups;
        this.offsets = offsets;
        this.table = table;
        this.reviveLog = reviveLog;
        this.ordered = ordered;
        this.polling = polling;
        this.stats = stats;
        this.traffic = traffic;
    }

    /** One POP_MESSAGE request, re-run after each wake-up until it found messages or its poll time ended. */
    private static final class PopRequest {
        final RemotingChannel conn;
        final RemotingCommand command;
        final String group;
        final String topic;
        final int queueId;
        final int maxMsgNums;
        final long invisibleTime;
        final int initMode;
        final boolean order;
        final MessageFilter filter;
        final long deadlineMs;
        final Promise<RemotingCommand> response = Promise.promise();
        boolean timedOut;

        PopRequest(RemotingChannel conn, RemotingCommand command, String group, String topic, int queueId,
                   int maxMsgNums, long invisibleTime, int initMode, boolean order, MessageFilter filter,
                   long deadlineMs) {
            this.conn = conn;
            this.command = command;
            this.group = group;
            this.topic = topic;
            this.queueId = queueId;
            this.maxMsgNums = maxMsgNums;
            this.invisibleTime = invisibleTime;
            this.initMode = initMode;
            this.order = order;
            this.filter = filter;
            this.deadlineMs = deadlineMs;
        }
    }

    /** A queue a pop reads: one of the topic's, or of the group's pop retry topic. */
    private record Source(String topic, int queueId, boolean retry) {
    }

    /** What one pop took from one queue. */
    private static final class Taken {
        final Source source;
        final long nextOffset;
        final long[] offsets;
        final List<ByteBuffer> messages;
        final long rest;
        String busyKey;
        int[] deliveredBefore;
        PopCheckpoint checkpoint;
        CompletableFuture<Long> written;

        Taken(Source source, long nextOffset, long[] offsets, List<ByteBuffer> messages, long rest) {
            this.source = source;
            this.nextOffset = nextOffset;
            this.offsets = offsets;
            this.messages = messages;
            this.rest = rest;
        }
    }

    public Future<RemotingCommand> process(RemotingChannel conn, RemotingCommand req) {
        String group = req.required("consumerGroup");
        String topic = req.required("topic");
        int queueId = req.requiredInt("queueId");
        int maxMsgNums = req.requiredInt("maxMsgNums");
        long invisibleTime = req.requiredLong("invisibleTime");
        long pollTime = Math.max(0, req.extLong("pollTime", 0));
        long bornTime = req.extLong("bornTime", 0);
        int initMode = req.extInt("initMode", CONSUME_INIT_MIN);
        boolean order = Boolean.parseBoolean(req.ext("order"));
        long now = System.currentTimeMillis();

        if (bornTime > 0 && now - bornTime - pollTime > LATE_ARRIVAL_MS) {
            return error(req, ResponseCode.POLLING_TIMEOUT, "the broker[" + address.hostPort()
                    + "] pop message is timeout too much");
        }
        if (!PermName.isReadable(config.brokerPermission)) {
            return error(req, ResponseCode.NO_PERMISSION, "the broker[" + address.hostPort()
                    + "] pop message is forbidden");
        }
        if (maxMsgNums > PopNames.MAX_POP_NUMS || maxMsgNums <= 0) {
            return error(req, ResponseCode.INVALID_PARAMETER, "the broker[" + address.hostPort()
                    + "] pop message's num must be in [1, " + PopNames.MAX_POP_NUMS + "]");
        }
        if (invisibleTime <= 0) {
            return error(req, ResponseCode.INVALID_PARAMETER, "invisibleTime must be positive: " + invisibleTime);
        }
        TopicConfig tc = topics.get(topic);
        if (tc == null) {
            return error(req, ResponseCode.TOPIC_NOT_EXIST, "topic[" + topic + "] not exist, apply first please!");
        }
        if (!PermName.isReadable(tc.perm)) {
            return error(req, ResponseCode.NO_PERMISSION, "the topic[" + topic + "] peeking message is forbidden");
        }
        if (queueId >= tc.readQueueNums || queueId < -1) {
            return error(req, ResponseCode.INVALID_PARAMETER, "queueId[" + queueId + "] is illegal, topic:[" + topic
                    + "] topicConfig.readQueueNums:[" + tc.readQueueNums + "] consumer:[" + conn.remoteAddress()
                    + "]");
        }
        SubscriptionGroupConfig gc = groups.findOrCreate(group);
        if (gc == null) {
            return error(req, ResponseCode.SUBSCRIPTION_GROUP_NOT_EXIST, "subscription group [" + group
                    + "] does not exist");
        }
        if (!gc.consumeEnable) {
            return error(req, ResponseCode.NO_PERMISSION, "subscription group no permission, " + group);
        }
        MessageFilter filter;
        try {
            filter = PopFilters.of(topic, req.ext("expType"), req.ext("exp"), config.enablePropertyFilter);
        } catch (IllegalArgumentException e) {
            return error(req, ResponseCode.SUBSCRIPTION_PARSE_FAILED, "parse the consumer's subscription failed: "
                    + e.getMessage());
        }
        PopRequest pop = new PopRequest(conn, req, group, topic, queueId, maxMsgNums, invisibleTime, initMode, order,
                filter, now + Math.min(pollTime, MAX_POLL_MS));
        run(pop, true);
        return pop.response.future();
    }

    /** Takes what there is and answers, or parks; {@code recheck}: look again right after parking. */
    private void run(PopRequest pop, boolean recheck) {
        if (pop.conn.isClosed()) {
            return; // no one to answer (as a parked pull of a closed connection)
        }
        long popTime = System.currentTimeMillis();
        List<Source> sources = sources(pop);
        List<Taken> taken = new ArrayList<>();
        int remaining = pop.maxMsgNums;
        for (Source s : sources) {
            if (remaining <= 0) {
                break;
            }
            Taken t = take(pop, s, remaining, popTime);
            if (t != null) {
                taken.add(t);
                remaining -= t.offsets.length;
            }
        }
        if (!taken.isEmpty()) {
            if (pop.order) {
                pop.response.tryComplete(found(pop, taken, popTime));
            } else {
                checkpointAndAnswer(pop, taken, popTime);
            }
            return;
        }
        if (pop.timedOut || popTime >= pop.deadlineMs) {
            pop.response.tryComplete(notFound(pop, ResponseCode.PULL_NOT_FOUND, "no new message", popTime, sources));
            return;
        }
        List<PopPolling.Watched> watched = new ArrayList<>(sources.size());
        for (Source s : sources) {
            watched.add(new PopPolling.Watched(s.topic(), s.queueId()));
        }
        PopPolling.Poll poll = polling.park(pop.conn, PopPolling.key(pop.topic, pop.group, pop.queueId), watched,
                pop.filter, pop.deadlineMs, () -> run(pop, false), () -> {
                    pop.timedOut = true;
                    run(pop, false);
                });
        if (poll == null) {
            pop.response.tryComplete(notFound(pop, ResponseCode.POLLING_FULL, "polling full", popTime, sources));
        } else if (recheck && anythingNew(pop, sources)) {
            // dispatched between our read and the park, so no arrival woke us: run again (once; never re-park
            // from here, so a queue we cannot take from cannot make us spin)
            poll.wakeNow();
        }
    }

    /** The queues to read, in order: the topic's (rotating the start for queueId -1) and its pop retry topic's. */
    private List<Source> sources(PopRequest pop) {
        List<Source> normal = new ArrayList<>();
        TopicConfig tc = topics.get(pop.topic);
        int round = rounds.getAndIncrement() & Integer.MAX_VALUE;
        if (pop.queueId >= 0) {
            normal.add(new Source(pop.topic, pop.queueId, false));
        } else if (tc != null && tc.readQueueNums > 0) {
            for (int i = 0; i < tc.readQueueNums; i++) {
                normal.add(new Source(pop.topic, (round + i) % tc.readQueueNums, false));
            }
        }
        if (pop.order) {
            return normal;
        }
        String retryTopic = PopNames.retryTopic(pop.topic, pop.group);
        TopicConfig rc = topics.get(retryTopic);
        if (rc == null || rc.readQueueNums <= 0) {
            return normal;
        }
        List<Source> retry = new ArrayList<>(rc.readQueueNums);
        for (int i = 0; i < rc.readQueueNums; i++) {
            retry.add(new Source(retryTopic, (round + i) % rc.readQueueNums, true));
        }
        boolean retryFirst = ThreadLocalRandom.current().nextInt(100) < config.popFromRetryProbability;
        List<Source> all = new ArrayList<>(normal.size() + retry.size());
        all.addAll(retryFirst ? retry : normal);
        all.addAll(retryFirst ? normal : retry);
        return all;
    }

    /** Reads one queue for the pop; null when it is busy, locked (ordered) or has nothing for it. */
    private Taken take(PopRequest pop, Source s, int max, long popTime) {
        String busyKey = pop.group + '@' + s.topic() + '@' + s.queueId();
        if (!busyQueues.add(busyKey)) {
            return null;
        }
        boolean keepBusy = false;
        try {
            if (pop.order && ordered.isLocked(pop.group, s.topic(), s.queueId(), popTime)) {
                return null;
            }
            long offset = offsetOf(pop, s);
            GetResult r = store.get(s.topic(), s.queueId(), offset, max, config.maxPullBytes, pop.filter);
            if (r.status() != GetStatus.FOUND || r.messages() == null || r.messages().isEmpty()) {
                skipPast(pop, s, offset, r);
                return null;
            }
            List<ByteBuffer> messages = r.messages();
            long[] queueOffsets = new long[messages.size()];
            for (int i = 0; i < queueOffsets.length; i++) {
                ByteBuffer m = messages.get(i);
                queueOffsets[i] = m.getLong(m.position() + StoredRecordLayout.QUEUE_OFFSET_OFFSET);
            }
            Taken t = new Taken(s, r.nextBeginOffset(), queueOffsets, messages,
                    Math.max(0, r.maxOffset() - r.nextBeginOffset()));
            if (pop.order) {
                t.deliveredBefore = ordered.popped(pop.group, s.topic(), s.queueId(), queueOffsets,
                        r.nextBeginOffset(), popTime, pop.invisibleTime);
            } else {
                t.busyKey = busyKey;
                keepBusy = true; // until its checkpoint is written and the offset moved
            }
            return t;
        } finally {
            if (!keepBusy) {
                busyQueues.remove(busyKey);
            }
        }
    }

    /** The group's offset in the queue; a first pop starts at the queue's min (retry topics, initMode MIN) or max. */
    private long offsetOf(PopRequest pop, Source s) {
        long committed = offsets.query(pop.group, s.topic(), s.queueId());
        if (committed >= 0) {
            return committed;
        }
        long start = s.retry() || pop.initMode == CONSUME_INIT_MIN
                ? store.minOffsetInQueue(s.topic(), s.queueId())
                : store.maxOffsetInQueue(s.topic(), s.queueId());
        offsets.commit(pop.group, s.topic(), s.queueId(), start);
        return start;
    }

    /** Nothing matched the filter, or the offset was outside the queue: move the group's offset where it belongs. */
    private void skipPast(PopRequest pop, Source s, long offset, GetResult r) {
        GetStatus st = r.status();
        boolean correctable = st == GetStatus.NO_MATCHED_MESSAGE || st == GetStatus.OFFSET_TOO_SMALL
                || st == GetStatus.OFFSET_OVERFLOW_BADLY || st == GetStatus.MESSAGE_WAS_REMOVING;
        if (correctable && r.nextBeginOffset() != offset && r.nextBeginOffset() >= 0) {
            offsets.commit(pop.group, s.topic(), s.queueId(), r.nextBeginOffset());
        }
    }

    /** Whether a queue of the pop (not busy, not locked) has messages past the group's offset. */
    private boolean anythingNew(PopRequest pop, List<Source> sources) {
        long now = System.currentTimeMillis();
        for (Source s : sources) {
            if (busyQueues.contains(pop.group + '@' + s.topic() + '@' + s.queueId())
                    || (pop.order && ordered.isLocked(pop.group, s.topic(), s.queueId(), now))) {
                continue;
            }
            long committed = offsets.query(pop.group, s.topic(), s.queueId());
            if (committed >= 0 && store.maxOffsetInQueue(s.topic(), s.queueId()) > committed) {
                return true;
            }
        }
        return false;
    }

    /**
     * The queues a pop of {@code topic} by {@code group} would read, and whether any of them has a message past the
     * group's offset (NOTIFICATION). A group that never popped a queue counts from the queue's first message.
     */
    List<PopPolling.Watched> watchedBy(String group, String topic, int queueId, boolean order) {
        List<PopPolling.Watched> watched = new ArrayList<>();
        for (Source s : sources(new PopRequest(null, null, group, topic, queueId, 1, 1, CONSUME_INIT_MIN, order,
                MessageFilter.ALL, 0))) {
            watched.add(new PopPolling.Watched(s.topic(), s.queueId()));
        }
        return watched;
    }

    boolean hasMessages(String group, List<PopPolling.Watched> queues, boolean order) {
        long now = System.currentTimeMillis();
        for (PopPolling.Watched q : queues) {
            if (order && ordered.isLocked(group, q.topic(), q.queueId(), now)) {
                continue;
            }
            long committed = offsets.query(group, q.topic(), q.queueId());
            long from = committed >= 0 ? committed : store.minOffsetInQueue(q.topic(), q.queueId());
            if (store.maxOffsetInQueue(q.topic(), q.queueId()) > from) {
                return true;
            }
        }
        return false;
    }

    /** Writes one checkpoint per queue read, then moves the offsets and answers with what was checkpointed. */
    private void checkpointAndAnswer(PopRequest pop, List<Taken> taken, long popTime) {
        CompletableFuture<?>[] writes = new CompletableFuture<?>[taken.size()];
        for (int i = 0; i < taken.size(); i++) {
            Taken t = taken.get(i);
            t.checkpoint = new PopCheckpoint(pop.group, t.source.topic(), t.source.queueId(), t.offsets[0], popTime,
                    pop.invisibleTime, t.offsets);
            table.add(t.checkpoint);
            t.written = reviveLog.appendCheckpoint(t.checkpoint);
            writes[i] = t.written;
        }
        CompletableFuture<Void> all = CompletableFuture.allOf(writes).handle((v, e) -> null);
        Future.fromCompletionStage(all, pop.conn.context()).onComplete(ar -> {
            List<Taken> answered = new ArrayList<>(taken.size());
            String failure = null;
            for (Taken t : taken) {
                if (t.written.isCompletedExceptionally()) {
                    table.discard(t.checkpoint);
                    failure = t.written.handle((x, e) -> String.valueOf(e)).join();
                } else {
                    table.written(t.checkpoint, t.written.join());
                    offsets.commit(pop.group, t.source.topic(), t.source.queueId(), t.nextOffset);
                    answered.add(t);
                }
                busyQueues.remove(t.busyKey);
            }
            if (answered.isEmpty()) {
                pop.response.tryComplete(RemotingCommand.responseTo(pop.command, ResponseCode.SYSTEM_ERROR,
                        "pop checkpoint not stored: " + failure));
            } else {
                pop.response.tryComplete(found(pop, answered, popTime));
            }
        });
    }

    private RemotingCommand found(PopRequest pop, List<Taken> taken, long popTime) {
        StringBuilder startInfo = new StringBuilder();
        StringBuilder msgInfo = new StringBuilder();
        StringBuilder orderInfo = new StringBuilder();
        List<ByteBuffer> bodies = new ArrayList<>();
        long rest = 0;
        for (Taken t : taken) {
            String mark = PopNames.retryMark(t.source.topic());
            int q = t.source.queueId();
            separate(startInfo).append(mark).append(' ').append(q).append(' ').append(t.offsets[0]);
            separate(msgInfo).append(mark).append(' ').append(q).append(' ');
            for (int i = 0; i < t.offsets.length; i++) {
                msgInfo.append(i == 0 ? "" : ",").append(t.offsets[i]);
                if (t.deliveredBefore != null) {
                    separate(orderInfo).append(mark).append(" qo").append(q).append('%').append(t.offsets[i])
                            .append(' ').append(t.deliveredBefore[i]);
                }
            }
            bodies.addAll(t.messages);
            rest += t.rest;
            traffic.pulled(pop.topic, pop.group, t.messages.size());
        }
        stats.messagesGot.add(bodies.size());
        RemotingCommand resp = RemotingCommand.responseTo(pop.command, ResponseCode.SUCCESS, "FOUND")
                .put("popTime", popTime)
                .put("invisibleTime", pop.invisibleTime)
                .put("reviveQid", pop.order ? PopNames.ORDER_REVIVE_QUEUE_ID : PopNames.REVIVE_QUEUE_ID)
                .put("restNum", rest)
                .put("startOffsetInfo", startInfo.toString())
                .put("msgOffsetInfo", msgInfo.toString());
        if (pop.order) {
            resp.put("orderCountInfo", orderInfo.toString());
        }
        ByteBuf body = Unpooled.wrappedBuffer(bodies.toArray(new ByteBuffer[0]));
        return resp.body(BufferInternal.buffer(body));
    }

    private static StringBuilder separate(StringBuilder sb) {
        return sb.isEmpty() ? sb : sb.append(';');
    }

    private RemotingCommand notFound(PopRequest pop, int code, String remark, long popTime, List<Source> sources) {
        long rest = 0;
        for (Source s : sources) {
            long committed = offsets.query(pop.group, s.topic(), s.queueId());
            if (committed >= 0) {
                rest += Math.max(0, store.maxOffsetInQueue(s.topic(), s.queueId()) - committed);
            }
        }
        return RemotingCommand.responseTo(pop.command, code, remark)
                .put("popTime", popTime)
                .put("invisibleTime", pop.invisibleTime)
                .put("reviveQid", pop.order ? PopNames.ORDER_REVIVE_QUEUE_ID : PopNames.REVIVE_QUEUE_ID)
                .put("restNum", rest);
    }

    private static Future<RemotingCommand> error(RemotingCommand req, int code, String remark) {
        return Future.succeededFuture(RemotingCommand.responseTo(req, code, remark));
    }
}

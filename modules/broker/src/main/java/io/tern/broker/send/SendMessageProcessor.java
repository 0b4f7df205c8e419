package io.tern.broker.send;

import io.tern.broker.BrokerAddress;
import io.tern.broker.BrokerConfig;
import io.tern.broker.config.SubscriptionGroupConfig;
import io.tern.broker.config.SubscriptionGroupManager;
import io.tern.broker.config.TopicConfigManager;
import io.tern.broker.metrics.SendMetrics;
import io.tern.broker.trace.BrokerTraceWriter;
import io.tern.common.message.MessageConst;
import io.tern.common.message.ParsedProperties;
import io.tern.common.message.MessageSysFlag;
import io.tern.common.protocol.PermName;
import io.tern.common.protocol.SystemNames;
import io.tern.common.protocol.TopicConfig;
import io.tern.common.protocol.TopicValidator;
import io.tern.remoting.RemotingChannel;
import io.tern.remoting.protocol.RemotingCommand;
import io.tern.remoting.protocol.RemotingProtocolException;
import io.tern.remoting.protocol.RequestCode;
import io.tern.remoting.protocol.ResponseCode;
import io.tern.store.MessageStore;
import io.tern.store.PutResult;
import io.tern.store.StoreMessage;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.buffer.BufferInternal;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;

/**
 * SEND_MESSAGE (10), SEND_MESSAGE_V2 (310) and SEND_BATCH_MESSAGE (320), in the reference's order of checks
 * (spec 3.3.1). Runs on the event loop: validation and encoding are cheap, the append is handed to the store
 * writer and the response is built back on the connection's context when the store future completes.
 *
 * <p>Each message's properties are parsed once, here, and that one {@link ParsedProperties} carries them to the
 * record encoder and the index. Every request is counted once, in {@link SendMetrics}, with its put result.
 */
public final class SendMessageProcessor {
    /** The reference honours the header's maxReconsumeTimes only from clients at or above V3_4_9. */
    private static final int VERSION_WITH_MAX_RECONSUME_TIMES = 121;
    private static final int DLQ_PERM = PermName.PERM_READ | PermName.PERM_WRITE;

    private final BrokerConfig config;
    private final BrokerAddress address;
    private final MessageStore store;
    private final TopicConfigManager topics;
    private final SubscriptionGroupManager groups;
    private final SendMetrics metrics;
    private final BrokerTraceWriter trace;

    public SendMessageProcessor(BrokerConfig config, BrokerAddress address, MessageStore store,
                                TopicConfigManager topics, SubscriptionGroupManager groups, SendMetrics metrics,
                                BrokerTraceWriter trace) {
        this.config = config;
        this.address = address;
        this.store = store;
        this.topics = topics;
        this.groups = groups;
        this.metrics = metrics;
        this.trace = trace;
    }

    /** Outcome of the checks before the store: a topic config and the queue to use, or an error response. */
    record Target(TopicConfig topic, int queueId, RemotingCommand error) {
        static Target fail(RemotingCommand error) {
            return new Target(null, -1, error);
        }
    }

    public Future<RemotingCommand> process(RemotingChannel conn, RemotingCommand req) {
        long startNanos = System.nanoTime();
        try {
            SendMessageHeader h;
            try {
                h = SendMessageHeader.of(req);
            } catch (RemotingProtocolException e) {
                return refuse(req, ResponseCode.SYSTEM_ERROR, e.getMessage(), startNanos);
            }
            Target target = checkTarget(conn, req, h);
            if (target.error != null) {
                metrics.refused(target.error.code(), startNanos);
                return done(target.error);
            }
            return req.code() == RequestCode.SEND_BATCH_MESSAGE || h.batch()
                    ? sendBatch(conn, req, h, target, startNanos) : sendOne(conn, req, h, target, startNanos);
        } catch (RuntimeException e) {
            // the remoting server answers SYSTEM_ERROR
            metrics.refused(ResponseCode.SYSTEM_ERROR, startNanos);
            throw e;
        }
    }

    /** Steps 2–5: broker permission, topic name, topic existence / auto-creation, queue id. */
    Target checkTarget(RemotingChannel conn, RemotingCommand req, SendMessageHeader h) {
        if (!PermName.isWriteable(config.brokerPermission)) {
            return Target.fail(SendResponses.error(config, address, req, ResponseCode.NO_PERMISSION,
                    "the broker[" + address.hostPort() + "] sending message is forbidden"));
        }
        String invalid = TopicValidator.validate(h.topic());
        if (invalid != null) {
            return Target.fail(SendResponses.error(config, address, req, ResponseCode.SYSTEM_ERROR, invalid));
        }
        if (TopicValidator.isNotAllowedSendTopic(h.topic())) {
            return Target.fail(SendResponses.error(config, address, req, ResponseCode.NO_PERMISSION,
                    "Sending message to topic[" + h.topic() + "] is forbidden."));
        }
        TopicConfig tc = topics.get(h.topic());
        if (tc == null) {
            int topicSysFlag = h.unitMode() ? 1 : 0;
            tc = topics.createInSendMessage(h.topic(), h.defaultTopic(), h.defaultTopicQueueNums(), topicSysFlag);
            if (tc == null && SystemNames.isRetryTopic(h.topic())) {
                tc = topics.createIfAbsent(h.topic(), 1, PermName.PERM_READ | PermName.PERM_WRITE, topicSysFlag);
            }
            if (tc == null) {
                return Target.fail(SendResponses.error(config, address, req, ResponseCode.TOPIC_NOT_EXIST,
                        "topic[" + h.topic() + "] not exist, apply first please!"));
            }
        }
        if (!PermName.isWriteable(tc.perm)) {
            return Target.fail(SendResponses.error(config, address, req, ResponseCode.NO_PERMISSION,
                    "the topic[" + h.topic() + "] sending message is forbidden"));
        }
        int queueId = h.queueId();
        if (queueId >= Math.max(tc.writeQueueNums, tc.readQueueNums)) {
            return Target.fail(SendResponses.error(config, address, req, ResponseCode.SYSTEM_ERROR,
                    "request queueId[" + queueId + "] is illegal, " + tc + " Producer: " + conn.remoteAddress()));
        }
        if (queueId < 0) {
            queueId = ThreadLocalRandom.current().nextInt(Math.max(1, tc.writeQueueNums));
        }
        return new Target(tc, queueId, null);
    }

    private Future<RemotingCommand> sendOne(RemotingChannel conn, RemotingCommand req, SendMessageHeader h,
                                            Target target, long startNanos) {
        ByteBuffer body = nioBody(req.body());
        if (body.remaining() > config.store.maxMessageBytes) {
            return refuse(req, ResponseCode.MESSAGE_ILLEGAL,
                    "the message body size over max value, MAX: " + config.store.maxMessageBytes, startNanos);
        }
        ParsedProperties props = ParsedProperties.parse(h.properties());
        String topic = target.topic.topicName;
        int queueId = target.queueId;
        int sysFlag = h.sysFlag();
        if (SystemNames.isRetryTopic(topic)) {
            String group = topic.substring(SystemNames.RETRY_GROUP_TOPIC_PREFIX.length());
            SubscriptionGroupConfig gc = groups.findOrCreate(group);
            if (gc == null) {
                return refuse(req, ResponseCode.SUBSCRIPTION_GROUP_NOT_EXIST,
                        "subscription group not exist, " + group, startNanos);
            }
            int max = h.maxReconsumeTimes() != null && req.version() >= VERSION_WITH_MAX_RECONSUME_TIMES
                    ? h.maxReconsumeTimes() : gc.retryMaxTimes;
            if (h.reconsumeTimes() >= max) {
                topic = SystemNames.dlqTopic(group);
                topics.createIfAbsent(topic, 1, DLQ_PERM, 0);
                queueId = 0;
            }
        }
        if (TopicConfig.MULTI_TAG.equals(target.topic.topicFilterType)) {
            sysFlag |= MessageSysFlag.MULTI_TAGS;
        }
        long nowMs = System.currentTimeMillis();
        long timerDueMs = TimerMessages.dueMs(props, nowMs);
        TimerMessages.Refusal timerRefusal = TimerMessages.check(timerDueMs, nowMs, config.store);
        if (timerRefusal != null) {
            return refuse(req, timerRefusal.code(), timerRefusal.remark(), startNanos);
        }
        StoreMessage m = StoreMessageBuilder.build(config, address, conn, topic, queueId, h.flag(), sysFlag,
                h.bornTimestamp(), h.reconsumeTimes(), body, props);
        if (timerDueMs != TimerMessages.NOT_TIMER && m.topic.equals(topic)) {
            TimerMessages.toTimer(m, props, timerDueMs, config.store.timerPrecisionMs);
        }
        BrokerTraceWriter.Capture traced = trace.capture(h.producerGroup(), h.topic(), m);
        return afterPut(conn, req, h, store.put(m), queueId, null, traced, startNanos);
    }

    private Future<RemotingCommand> sendBatch(RemotingChannel conn, RemotingCommand req, SendMessageHeader h,
                                              Target target, long startNanos) {
        String topic = target.topic.topicName;
        if (SystemNames.isRetryTopic(topic)) {
            return refuse(req, ResponseCode.MESSAGE_ILLEGAL,
                    "batch request does not support retry group " + topic, startNanos);
        }
        List<BatchDecoder.Record> records;
        try {
            records = BatchDecoder.decode(nioBody(req.body()));
        } catch (RemotingProtocolException e) {
            return refuse(req, ResponseCode.MESSAGE_ILLEGAL, e.getMessage(), startNanos);
        }
        if (records.isEmpty()) {
            return refuse(req, ResponseCode.MESSAGE_ILLEGAL, "empty batch", startNanos);
        }
        ParsedProperties batchProps = ParsedProperties.parse(h.properties());
        String batchUniqId = batchProps.remove(MessageConst.UNIQ_KEY);
        int sysFlag = h.sysFlag();
        if (TopicConfig.MULTI_TAG.equals(target.topic.topicFilterType)) {
            sysFlag |= MessageSysFlag.MULTI_TAGS;
        }
        List<StoreMessage> messages = new ArrayList<>(records.size());
        for (BatchDecoder.Record r : records) {
            if (r.body().remaining() > config.store.maxMessageBytes) {
                return refuse(req, ResponseCode.MESSAGE_ILLEGAL,
                        "the message body size over max value, MAX: " + config.store.maxMessageBytes, startNanos);
            }
            ParsedProperties props = ParsedProperties.parse(r.properties());
            // batch-level properties only fill gaps: never overwrite a record's own UNIQ_KEY (spec 5.2)
            props.fillFrom(batchProps);
            props.remove(MessageConst.DELAY_TIME_LEVEL);
            props.remove(MessageConst.TRANSACTION_PREPARED);
            messages.add(StoreMessageBuilder.build(config, address, conn, topic, target.queueId, r.flag(), sysFlag,
                    h.bornTimestamp(), 0, r.body(), props));
        }
        BrokerTraceWriter.Capture traced = trace.capture(h.producerGroup(), h.topic(), messages);
        return afterPut(conn, req, h, store.putBatch(messages), target.queueId, batchUniqId, traced, startNanos);
    }

    private Future<RemotingCommand> afterPut(RemotingChannel conn, RemotingCommand req, SendMessageHeader h,
                                             CompletableFuture<PutResult> put, int queueId, String batchUniqId,
                                             BrokerTraceWriter.Capture traced, long startNanos) {
        return Future.fromCompletionStage(put, conn.context()).map(result -> {
            if (traced != null && result.isStored()) {
                trace.stored(traced, result);
            }
            RemotingCommand resp = SendResponses.of(config, address, req, result, queueId, batchUniqId);
            metrics.answered(h.topic(), result, resp.code(), req.body() == null ? 0 : req.body().length(),
                    startNanos);
            return resp;
        }).recover(e -> refuse(req, ResponseCode.SYSTEM_ERROR, String.valueOf(e.getMessage()), startNanos));
    }

    /** An error answer; it stored nothing and counts as a failed send. */
    private Future<RemotingCommand> refuse(RemotingCommand req, int code, String remark, long startNanos) {
        metrics.refused(code, startNanos);
        return done(SendResponses.error(config, address, req, code, remark));
    }

    /**
     * The body as a view of the request frame, which the store keeps until its writer has copied the bytes into
     * the commit log (see {@code StoreMessage}). That is safe because nothing reuses a frame: Vert.x hands each
     * read to the connection as a heap buffer of its own (pooled socket buffers are copied and released first),
     * and {@code FrameDecoder} never writes into a buffer it has handed frames out of.
     */
    static ByteBuffer nioBody(Buffer body) {
        if (body == null || body.length() == 0) {
            return ByteBuffer.allocate(0);
        }
        if (body instanceof BufferInternal bi) {
            return bi.getByteBuf().nioBuffer();
        }
        return ByteBuffer.wrap(body.getBytes());
    }

    private static Future<RemotingCommand> done(RemotingCommand resp) {
        return Future.succeededFuture(resp);
    }
}

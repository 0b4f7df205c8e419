package io.tern.broker.offset;

import io.tern.broker.config.ConsumerOffsetManager;
import io.tern.remoting.RemotingChannel;
import io.tern.remoting.protocol.RemotingCommand;
import io.tern.remoting.protocol.ResponseCode;
import io.tern.store.MessageStore;
import io.vertx.core.Future;

/**
 * Consumer offsets (QUERY_CONSUMER_OFFSET 14, UPDATE_CONSUMER_OFFSET 15) and queue offset queries
 * (SEARCH_OFFSET_BY_TIMESTAMP 29, GET_MAX_OFFSET 30, GET_MIN_OFFSET 31, GET_EARLIEST_MSG_STORETIME 32), spec
 * 3.4.2–3.4.4. In-memory or non-blocking store look-ups: run on the event loop.
 */
public final class OffsetProcessors {
    private final MessageStore store;
    private final ConsumerOffsetManager offsets;

    public OffsetProcessors(MessageStore store, ConsumerOffsetManager offsets) {
        this.store = store;
        this.offsets = offsets;
    }

    public Future<RemotingCommand> queryConsumerOffset(RemotingChannel conn, RemotingCommand req) {
        String group = req.required("consumerGroup");
        String topic = req.required("topic");
        int queueId = req.requiredInt("queueId");
        long offset = offsets.query(group, topic, queueId);
        if (offset >= 0) {
            return ok(req, "offset", offset);
        }
        // no committed offset: a young queue (min offset 0, or unknown) starts a new group at 0, so a consumer
        // started after the first send still gets it (reference behaviour, spec 3.4.2)
        if (store.minOffsetInQueue(topic, queueId) <= 0) {
            return ok(req, "offset", 0L);
        }
        return Future.succeededFuture(RemotingCommand.responseTo(req, ResponseCode.QUERY_NOT_FOUND,
                "Not found, V3_0_6_SNAPSHOT maybe this group consumer boot first"));
    }

    public Future<RemotingCommand> updateConsumerOffset(RemotingChannel conn, RemotingCommand req) {
        offsets.commit(req.required("consumerGroup"), req.required("topic"), req.requiredInt("queueId"),
                req.requiredLong("commitOffset"));
        return Future.succeededFuture(RemotingCommand.successTo(req));
    }

    public Future<RemotingCommand> maxOffset(RemotingChannel conn, RemotingCommand req) {
        return ok(req, "offset", store.maxOffsetInQueue(req.required("topic"), req.requiredInt("queueId")));
    }

    public Future<RemotingCommand> minOffset(RemotingChannel conn, RemotingCommand req) {
        return ok(req, "offset", store.minOffsetInQueue(req.required("topic"), req.requiredInt("queueId")));
    }

    public Future<RemotingCommand> earliestMessageTime(RemotingChannel conn, RemotingCommand req) {
        return ok(req, "timestamp", store.earliestMessageTime(req.required("topic"), req.requiredInt("queueId")));
    }

    /**
     * The offset of the first message stored at or after {@code timestamp} (RocketMQ 5's default "lower" boundary;
     * the queue's end when all are earlier). With the 5.x header's {@code boundaryType} UPPER: the last message stored
     * at or before it (the queue's first when all are later, its last when all are earlier).
     */
    public Future<RemotingCommand> searchOffsetByTimestamp(RemotingChannel conn, RemotingCommand req) {
        String topic = req.required("topic");
        int queueId = req.requiredInt("queueId");
        long timestamp = req.requiredLong("timestamp");
        if (!"upper".equalsIgnoreCase(req.ext("boundaryType"))) {
            return ok(req, "offset", store.offsetInQueueByTime(topic, queueId, timestamp));
        }
        long min = store.minOffsetInQueue(topic, queueId);
        long firstLater = timestamp == Long.MAX_VALUE ? store.maxOffsetInQueue(topic, queueId)
                : store.offsetInQueueByTime(topic, queueId, timestamp + 1);
        return ok(req, "offset", Math.max(min, firstLater - 1));
    }

    private static Future<RemotingCommand> ok(RemotingCommand req, String key, long value) {
        return Future.succeededFuture(RemotingCommand.successTo(req).put(key, value));
    }
}

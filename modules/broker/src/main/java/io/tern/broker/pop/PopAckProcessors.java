package io.tern.broker.pop;

import com.fasterxml.jackson.databind.JsonNode;
import io.tern.broker.config.ConsumerOffsetManager;
import io.tern.broker.config.TopicConfigManager;
import io.tern.common.Json;
import io.tern.common.protocol.TopicConfig;
import io.tern.remoting.RemotingChannel;
import io.tern.remoting.protocol.RemotingCommand;
import io.tern.remoting.protocol.ResponseCode;
import io.vertx.core.Future;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.BitSet;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * ACK_MESSAGE (200051), BATCH_ACK_MESSAGE (200151) and CHANGE_MESSAGE_INVISIBLETIME (200053): a popped message is
 * done, or invisible for a new span from now. An ack marks its message in the checkpoint named by the extra info
 * and logs the ack in the {@link ReviveLog}; an ordered message's ack (reviveQid 999) goes to {@link OrderedPops},
 * which moves the group's offset when the batch is complete. A change of invisible time writes a checkpoint of its
 * own for the one message (start offset = the message's offset, pop time = now) and acknowledges it in the old one,
 * which is what the client expects when it rebuilds the extra info from the response.
 *
 * <p>Runs on the event loop; answers when the revive-log records are stored.
 */
final class PopAckProcessors {
    private final TopicConfigManager topics;
    private final ConsumerOffsetManager offsets;
    private final PopCheckpointTable table;
    private final ReviveLog reviveLog;
    private final OrderedPops ordered;

    PopAckProcessors(TopicConfigManager topics, ConsumerOffsetManager offsets, PopCheckpointTable table,
                     ReviveLog reviveLog, OrderedPops ordered) {
        this.topics = topics;
        this.offsets = offsets;
        this.table = table;
        this.reviveLog = reviveLog;
        this.ordered = ordered;
    }

    Future<RemotingCommand> ack(RemotingChannel conn, RemotingCommand req) {
        String group = req.required("consumerGroup");
        String topic = req.required("topic");
        int queueId = req.requiredInt("queueId");
        long offset = req.requiredLong("offset");
        ExtraInfo x;
        try {
            x = ExtraInfo.parse(req.required("extraInfo"));
        } catch (IllegalArgumentException e) {
            return answer(req, ResponseCode.INVALID_PARAMETER, e.getMessage());
        }
        String invalid = checkQueue(topic, queueId);
        if (invalid != null) {
            return answer(req, ResponseCode.TOPIC_NOT_EXIST, invalid);
        }
        if (x.isOrder()) {
            return answer(req, ackOrdered(group, topic, queueId, offset) ? ResponseCode.SUCCESS
                    : ResponseCode.NO_MESSAGE, null);
        }
        return Future.fromCompletionStage(ackInCheckpoint(group, topic, queueId, x.ckOffset(), x.popTime(),
                new long[] {offset}), conn.context()).map(found -> found
                ? RemotingCommand.successTo(req)
                : RemotingCommand.responseTo(req, ResponseCode.NO_MESSAGE,
                        "no invisible message at this offset: acknowledged already, or visible again"))
                .otherwise(e -> RemotingCommand.responseTo(req, ResponseCode.SYSTEM_ERROR, e.getMessage()));
    }

    Future<RemotingCommand> batchAck(RemotingChannel conn, RemotingCommand req) {
        byte[] body = req.bodyBytes();
        JsonNode acks;
        try {
            acks = body == null ? null : Json.MAPPER.readTree(body).get("acks");
        } catch (IOException e) {
            return answer(req, ResponseCode.INVALID_PARAMETER, "batch ack body is not JSON: " + e.getMessage());
        }
        if (acks == null || !acks.isArray()) {
            return answer(req, ResponseCode.INVALID_PARAMETER, "batch ack body without acks");
        }
        List<CompletableFuture<Boolean>> done = new ArrayList<>();
        for (JsonNode a : acks) {
            String group = text(a, "c", "consumerGroup");
            String normalTopic = text(a, "t", "topic");
            if (group == null || normalTopic == null) {
                return answer(req, ResponseCode.INVALID_PARAMETER, "batch ack entry without group or topic");
            }
            String topic = PopNames.realTopic(normalTopic, group, text(a, "r", "retry"));
            int queueId = number(a, "q", "queueId").intValue();
            long startOffset = number(a, "so", "startOffset").longValue();
            long popTime = number(a, "pt", "popTime").longValue();
            int reviveQueueId = number(a, "rq", "reviveQueueId").intValue();
            BitSet bits = bits(a.has("b") ? a.get("b") : a.get("bitSet"));
            long[] acked = bits.stream().mapToLong(i -> startOffset + i).toArray();
            if (acked.length == 0) {
                continue;
            }
            if (reviveQueueId == PopNames.ORDER_REVIVE_QUEUE_ID) {
                for (long o : acked) {
                    ackOrdered(group, topic, queueId, o);
                }
            } else {
                done.add(ackInCheckpoint(group, topic, queueId, startOffset, popTime, acked));
            }
        }
        CompletableFuture<Void> all = CompletableFuture.allOf(done.toArray(new CompletableFuture[0]));
        return Future.fromCompletionStage(all, conn.context()).map(v -> RemotingCommand.successTo(req))
                .otherwise(e -> RemotingCommand.responseTo(req, ResponseCode.SYSTEM_ERROR, e.getMessage()));
    }

    Future<RemotingCommand> changeInvisibleTime(RemotingChannel conn, RemotingCommand req) {
        String group = req.required("consumerGroup");
        String topic = req.required("topic");
        int queueId = req.requiredInt("queueId");
        long offset = req.requiredLong("offset");
        long invisibleTime = req.requiredLong("invisibleTime");
        ExtraInfo x;
        try {
            x = ExtraInfo.parse(req.required("extraInfo"));
        } catch (IllegalArgumentException e) {
            return answer(req, ResponseCode.INVALID_PARAMETER, e.getMessage());
        }
        if (invisibleTime < 0) {
            return answer(req, ResponseCode.INVALID_PARAMETER, "invisibleTime must not be negative");
        }
        String invalid = checkQueue(topic, queueId);
        if (invalid != null) {
            return answer(req, ResponseCode.TOPIC_NOT_EXIST, invalid);
        }
        long now = System.currentTimeMillis();
        if (x.isOrder()) {
            if (!ordered.extend(group, topic, queueId, offset, now + invisibleTime)) {
                return answer(req, ResponseCode.NO_MESSAGE, "no ordered batch holds offset " + offset);
            }
            return Future.succeededFuture(changed(req, now, invisibleTime, PopNames.ORDER_REVIVE_QUEUE_ID));
        }
        if (!table.holdsUnacked(PopCheckpoint.key(group, topic, queueId, x.ckOffset(), x.popTime()), offset)) {
            return answer(req, ResponseCode.NO_MESSAGE,
                    "no invisible message at this offset: acknowledged already, or visible again");
        }
        long popTime = now == x.popTime() && offset == x.ckOffset() ? now + 1 : now;
        PopCheckpoint ck = new PopCheckpoint(group, topic, queueId, offset, popTime, invisibleTime,
                new long[] {offset});
        table.add(ck);
        CompletableFuture<Boolean> moved = reviveLog.appendCheckpoint(ck).handle((reviveOffset, e) -> {
            if (e != null) {
                table.discard(ck);
                throw new IllegalStateException("checkpoint not stored: " + e.getMessage());
            }
            table.written(ck, reviveOffset);
            return true;
        }).thenCompose(v -> ackInCheckpoint(group, topic, queueId, x.ckOffset(), x.popTime(), new long[] {offset}));
        return Future.fromCompletionStage(moved, conn.context())
                .map(v -> changed(req, popTime, invisibleTime, PopNames.REVIVE_QUEUE_ID))
                .otherwise(e -> RemotingCommand.responseTo(req, ResponseCode.SYSTEM_ERROR, e.getMessage()));
    }

    private static RemotingCommand changed(RemotingCommand req, long popTime, long invisibleTime, int reviveQid) {
        return RemotingCommand.successTo(req).put("popTime", popTime).put("invisibleTime", invisibleTime)
                .put("reviveQid", reviveQid);
    }

    /** Marks the offsets in their checkpoint and logs the ack; completes false when no live checkpoint held them. */
    private CompletableFuture<Boolean> ackInCheckpoint(String group, String topic, int queueId, long startOffset,
                                                       long popTime, long[] acked) {
        String key = PopCheckpoint.key(group, topic, queueId, startOffset, popTime);
        boolean any = false;
        for (long o : acked) {
            any |= table.ack(key, o) != PopCheckpointTable.AckOutcome.NOT_FOUND;
        }
        if (!any) {
            return CompletableFuture.completedFuture(false);
        }
        return reviveLog.appendAck(group, topic, queueId, startOffset, popTime, acked).thenApply(o -> true);
    }

    private boolean ackOrdered(String group, String topic, int queueId, long offset) {
        long commit = ordered.ack(group, topic, queueId, offset);
        if (commit >= 0) {
            offsets.commit(group, topic, queueId, commit);
        }
        return commit != -2;
    }

    private String checkQueue(String topic, int queueId) {
        TopicConfig tc = topics.get(topic);
        if (tc == null) {
            return "topic[" + topic + "] not exist";
        }
        if (queueId < 0 || queueId >= Math.max(tc.readQueueNums, tc.writeQueueNums)) {
            return "queueId[" + queueId + "] is illegal for topic " + topic;
        }
        return null;
    }

    private static String text(JsonNode n, String name, String alternate) {
        JsonNode v = n.has(name) ? n.get(name) : n.get(alternate);
        return v == null || v.isNull() ? null : v.asText();
    }

    private static Number number(JsonNode n, String name, String alternate) {
        JsonNode v = n.has(name) ? n.get(name) : n.get(alternate);
        return v == null || v.isNull() ? 0L : v.asLong();
    }

    /** The client's bit set: fastjson writes the bytes of BitSet.toByteArray as base64, or as a number array. */
    private static BitSet bits(JsonNode b) {
        if (b == null || b.isNull()) {
            return new BitSet();
        }
        if (b.isTextual()) {
            return BitSet.valueOf(Base64.getDecoder().decode(b.asText()));
        }
        byte[] bytes = new byte[b.size()];
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] = (byte) b.get(i).asInt();
        }
        return BitSet.valueOf(bytes);
    }

    private static Future<RemotingCommand> answer(RemotingCommand req, int code, String remark) {
        return Future.succeededFuture(RemotingCommand.responseTo(req, code, remark));
    }
}

package io.tern.broker.http;

import io.tern.broker.relay.ResetOffsetProcessor.ResetOffsetBody;
import io.tern.common.Json;
import io.tern.remoting.protocol.RemotingCommand;
import io.tern.remoting.protocol.RequestCode;
import io.tern.remoting.protocol.ResponseCode;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * {@code POST /api/groups/{group}/reset-offset} with {@code {"topic":T,"timestamp":ms}}: moves the group's offsets
 * of the topic to the first message stored at or after the time, through the same INVOKE_BROKER_TO_RESET_OFFSET a
 * {@code mqadmin resetOffsetByTime} sends ({@link BrokerRequests}), so online consumers are told and offline or
 * never-committed groups get the offsets alike. {@code timestamp} −1 = the end of every queue; {@code force}
 * (default true) false keeps offsets already lower.
 */
final class OffsetResetRoutes {
    private final BrokerRequests requests;

    OffsetResetRoutes(BrokerRequests requests) {
        this.requests = requests;
    }

    void mount(Router router) {
        router.post("/api/groups/:group/reset-offset").handler(this::reset);
    }

    private void reset(RoutingContext ctx) {
        String group = ctx.pathParam("group");
        String topic;
        long timestamp;
        boolean force;
        try {
            JsonObject body = ctx.body().asJsonObject();
            if (body == null) {
                throw new IllegalArgumentException("the body must be a JSON object: {\"topic\":T,\"timestamp\":ms}");
            }
            topic = body.getString("topic");
            Number ts = body.getNumber("timestamp");
            if (topic == null || topic.isBlank() || ts == null) {
                throw new IllegalArgumentException("topic and timestamp (ms, or -1 for the end) are required");
            }
            timestamp = ts.longValue();
            force = body.getBoolean("force", true);
        } catch (DecodeException | ClassCastException | IllegalArgumentException e) {
            Replies.error(ctx, 400, e.getMessage());
            return;
        }
        requests.call(RemotingCommand.request(RequestCode.INVOKE_BROKER_TO_RESET_OFFSET).put("topic", topic)
                .put("group", group).put("timestamp", timestamp).put("isForce", force)).onComplete(ar -> {
                    if (ar.failed()) {
                        Replies.error(ctx, 503, "broker did not answer: " + ar.cause().getMessage());
                        return;
                    }
                    RemotingCommand resp = ar.result();
                    if (resp.code() != ResponseCode.SUCCESS) {
                        int status = resp.code() == ResponseCode.TOPIC_NOT_EXIST
                                || resp.code() == ResponseCode.SUBSCRIPTION_GROUP_NOT_EXIST ? 404 : 400;
                        Replies.error(ctx, status, resp.remark() == null ? "code " + resp.code() : resp.remark());
                        return;
                    }
                    JsonArray queues = new JsonArray();
                    Json.fromBytes(resp.bodyBytes(), ResetOffsetBody.class).offsetTable.forEach((mq, offset) ->
                            queues.add(new JsonObject().put("brokerName", mq.brokerName).put("queueId", mq.queueId)
                                    .put("offset", offset)));
                    Replies.json(ctx, 200, new JsonObject().put("group", group).put("topic", topic)
                            .put("timestamp", timestamp).put("queues", queues));
                });
    }
}

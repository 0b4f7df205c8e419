package io.tern.cli;

import io.tern.common.Json;
import io.tern.common.message.MessageProperties;
import io.tern.common.protocol.ConsumerData;
import io.tern.common.protocol.HeartbeatData;
import io.tern.common.protocol.SubscriptionData;
import io.tern.remoting.RemotingClient;
import io.tern.remoting.protocol.RemotingCommand;
import io.tern.remoting.protocol.RequestCode;
import io.tern.remoting.protocol.ResponseCode;
import io.vertx.core.Vertx;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Sends messages and commits offsets the way the 4.9.7 client does, for setting up CLI tests. */
final class TestClient implements AutoCloseable {
    private final Vertx vertx = Vertx.vertx();
    private final RemotingClient client = new RemotingClient(vertx);

    /** SEND_MESSAGE_V2; returns the response (ext "msgId" = offset msg id). */
    RemotingCommand send(String brokerAddr, String topic, int queueId, String body, Map<String, String> properties) {
        RemotingCommand req = RemotingCommand.request(RequestCode.SEND_MESSAGE_V2)
                .put("a", "PG").put("b", topic).put("c", "TBW102").put("d", 4).put("e", queueId).put("f", 0)
                .put("g", System.currentTimeMillis()).put("h", 0).put("i", MessageProperties.encode(properties))
                .put("j", 0).put("k", false).put("m", false)
                .body(body.getBytes(StandardCharsets.UTF_8));
        return expectSuccess(call(brokerAddr, req));
    }

    void commitOffset(String brokerAddr, String group, String topic, int queueId, long offset) {
        expectSuccess(call(brokerAddr, RemotingCommand.request(RequestCode.UPDATE_CONSUMER_OFFSET)
                .put("consumerGroup", group).put("topic", topic).put("queueId", queueId)
                .put("commitOffset", offset)));
    }

    /** HEART_BEAT of a push consumer in CLUSTERING mode; the connection stays open, so the group is online. */
    void heartbeat(String brokerAddr, String clientId, String group, String topic, String subExpression) {
        SubscriptionData sub = new SubscriptionData();
        sub.topic = topic;
        sub.subString = subExpression;
        ConsumerData consumer = new ConsumerData();
        consumer.groupName = group;
        consumer.consumeType = ConsumerData.CONSUME_PASSIVELY;
        consumer.messageModel = ConsumerData.CLUSTERING;
        consumer.consumeFromWhere = "CONSUME_FROM_LAST_OFFSET";
        consumer.subscriptionDataSet.add(sub);
        HeartbeatData hb = new HeartbeatData();
        hb.clientID = clientId;
        hb.consumerDataSet.add(consumer);
        expectSuccess(call(brokerAddr, RemotingCommand.request(RequestCode.HEART_BEAT).body(Json.toBytes(hb))));
    }

    private RemotingCommand call(String addr, RemotingCommand req) {
        try {
            return client.invoke(addr, req, 5_000).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static RemotingCommand expectSuccess(RemotingCommand resp) {
        if (resp.code() != ResponseCode.SUCCESS) {
            throw new IllegalStateException("request failed: " + resp);
        }
        return resp;
    }

    @Override
    public void close() throws Exception {
        client.close().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
}

package io.tern.cli;

import io.tern.common.message.MessageProperties;
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

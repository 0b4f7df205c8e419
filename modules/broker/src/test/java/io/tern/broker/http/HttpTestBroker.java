package io.tern.broker.http;

import io.tern.broker.Broker;
import io.tern.broker.BrokerConfig;
import io.tern.common.message.MessageProperties;
import io.tern.remoting.RemotingClient;
import io.tern.remoting.protocol.RemotingCommand;
import io.tern.remoting.protocol.RequestCode;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * A real broker with its HTTP API on ephemeral ports over a temp store, without a nameserver (no addresses: no
 * registration), a remoting client shaped like the 4.9 client, and a JDK HTTP client.
 */
final class HttpTestBroker implements AutoCloseable {
    static final int TIMEOUT_S = 10;

    final Vertx vertx;
    final RemotingClient client;
    final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(TIMEOUT_S)).build();
    final Broker broker;
    /** "Bearer <token>": the token the broker generated into storeRoot/http.token (no httpTokens configured). */
    final String authorization;

    HttpTestBroker(Path storeRoot, String brokerName) throws Exception {
        this(storeRoot, brokerName, c -> { });
    }

    HttpTestBroker(Path storeRoot, String brokerName, Consumer<BrokerConfig> customizer) throws Exception {
        this(Vertx.vertx(), storeRoot, brokerName, customizer);
    }

    /** On {@code vertx}, which the broker closes with itself. */
    HttpTestBroker(Vertx vertx, Path storeRoot, String brokerName, Consumer<BrokerConfig> customizer)
            throws Exception {
        this.vertx = vertx;
        this.client = new RemotingClient(vertx);
        BrokerConfig config = new BrokerConfig();
        config.brokerName = brokerName;
        config.listenPort = 0;
        config.httpPort = 0;
        config.host = "127.0.0.1";
        config.namesrvAddr = "";
        config.remotingInstances = 1;
        config.store.storeRoot = storeRoot.toString();
        config.store.commitLogSegmentBytes = 4 * 1024 * 1024;
        config.store.consumeQueueEntriesPerFile = 10_000;
        config.store.warmMappedFile = false;
        config.store.maxHashSlotNum = 1000;
        config.store.maxIndexNum = 4000;
        customizer.accept(config);
        broker = Broker.start(vertx, config).await(TIMEOUT_S, TimeUnit.SECONDS);
        Path tokenFile = config.httpTokenFile.isEmpty() ? storeRoot.resolve(HttpCredentials.TOKEN_FILE_NAME)
                : Path.of(config.httpTokenFile);
        authorization = java.nio.file.Files.exists(tokenFile)
                ? "Bearer " + java.nio.file.Files.readString(tokenFile).trim() : null;
    }

    RemotingCommand call(RemotingCommand req) throws Exception {
        return client.invoke(broker.address(), req, 5000).await(TIMEOUT_S, TimeUnit.SECONDS);
    }

    HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(TIMEOUT_S)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** A JSON POST with the broker's generated token. */
    HttpResponse<String> post(String path, String body) throws Exception {
        return post(path, body, "application/json", authorization);
    }

    /** A POST with the given Content-Type and Authorization (either null = header absent). */
    HttpResponse<String> post(String path, String body, String contentType, String authorization) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(TIMEOUT_S))
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    JsonObject getObject(String path) throws Exception {
        HttpResponse<String> r = get(path);
        if (r.statusCode() != 200) {
            throw new AssertionError("GET " + path + " → " + r.statusCode() + " " + r.body());
        }
        return new JsonObject(r.body());
    }

    JsonArray getArray(String path) throws Exception {
        HttpResponse<String> r = get(path);
        if (r.statusCode() != 200) {
            throw new AssertionError("GET " + path + " → " + r.statusCode() + " " + r.body());
        }
        return new JsonArray(r.body());
    }

    URI uri(String path) {
        return URI.create("http://127.0.0.1:" + broker.httpPort() + path);
    }

    /** SEND_MESSAGE_V2 as the 4.9.7 client builds it. */
    static RemotingCommand sendV2(String topic, int queueId, String body, Map<String, String> properties) {
        return RemotingCommand.request(RequestCode.SEND_MESSAGE_V2)
                .put("a", "PG").put("b", topic).put("c", "TBW102").put("d", 4).put("e", queueId).put("f", 0)
                .put("g", System.currentTimeMillis()).put("h", 0).put("i", MessageProperties.encode(properties))
                .put("j", 0).put("k", false).put("m", false).put("n", "broker-a")
                .body(body.getBytes(StandardCharsets.UTF_8));
    }

    /** PULL_MESSAGE without suspension, committing {@code commitOffset} when it is ≥ 0. */
    static RemotingCommand pull(String group, String topic, int queueId, long offset, long commitOffset) {
        int sysFlag = 0x4 | (commitOffset >= 0 ? 0x1 : 0);
        return RemotingCommand.request(RequestCode.PULL_MESSAGE)
                .put("consumerGroup", group).put("topic", topic).put("queueId", queueId).put("queueOffset", offset)
                .put("maxMsgNums", 32).put("sysFlag", sysFlag).put("commitOffset", Math.max(0, commitOffset))
                .put("suspendTimeoutMillis", 0).put("subVersion", 0).put("expressionType", "TAG")
                .put("subscription", "*");
    }

    @Override
    public void close() throws Exception {
        try {
            broker.stop().await(TIMEOUT_S, TimeUnit.SECONDS);
            client.close().await(TIMEOUT_S, TimeUnit.SECONDS);
        } finally {
            vertx.close().await(TIMEOUT_S, TimeUnit.SECONDS);
        }
    }
}

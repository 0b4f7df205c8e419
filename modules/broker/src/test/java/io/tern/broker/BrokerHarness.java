package io.tern.broker;

import io.tern.common.message.MessageProperties;
import io.tern.remoting.RemotingClient;
import io.tern.remoting.protocol.RemotingCommand;
import io.tern.remoting.protocol.RequestCode;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * A real broker on an ephemeral port over a temp store, registered with a {@link FakeNameServer}, plus a
 * remoting client and request builders shaped like the 4.9 client's.
 */
final class BrokerHarness implements AutoCloseable {
    static final int TIMEOUT_S = 10;

    final Vertx vertx = Vertx.vertx();
    final FakeNameServer nameServer;
    final RemotingClient client;
    final Path storeRoot;
    private final Consumer<BrokerConfig> customizer;
    Broker broker;

    BrokerHarness(Path storeRoot) throws Exception {
        this(storeRoot, c -> { });
    }

    BrokerHarness(Path storeRoot, Consumer<BrokerConfig> customizer) throws Exception {
        this(storeRoot, customizer, new FakeNameServer());
    }

    BrokerHarness(Path storeRoot, Consumer<BrokerConfig> customizer, FakeNameServer nameServer) throws Exception {
        this.storeRoot = storeRoot;
        this.customizer = customizer;
        this.nameServer = nameServer;
        this.client = new RemotingClient(vertx);
        startBroker();
    }

    void startBroker() throws Exception {
        BrokerConfig config = new BrokerConfig();
        config.listenPort = 0;
        config.host = "127.0.0.1";
        config.namesrvAddr = nameServer.address();
        config.remotingInstances = 2;
        config.httpPort = -1; // the HTTP API has its own tests (io.tern.broker.http)
        config.store.storeRoot = storeRoot.toString();
        config.store.commitLogSegmentBytes = 4 * 1024 * 1024;
        config.store.consumeQueueEntriesPerFile = 10_000;
        config.store.warmMappedFile = false;
        config.store.maxHashSlotNum = 1000;
        config.store.maxIndexNum = 4000;
        customizer.accept(config);
        broker = Broker.start(vertx, config).await(TIMEOUT_S, TimeUnit.SECONDS);
    }

    void restartBroker() throws Exception {
        broker.stop().await(TIMEOUT_S, TimeUnit.SECONDS);
        startBroker();
    }

    String addr() {
        return broker.address();
    }

    RemotingCommand call(RemotingCommand req) throws Exception {
        return call(client, req);
    }

    RemotingCommand call(RemotingClient c, RemotingCommand req) throws Exception {
        return c.invoke(addr(), req, 5000).await(TIMEOUT_S, TimeUnit.SECONDS);
    }

    Future<RemotingCommand> callAsync(RemotingCommand req, long timeoutMs) {
        return client.invoke(addr(), req, timeoutMs);
    }

    /** Polls {@code condition} until it holds, failing after {@link #TIMEOUT_S}. */
    static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.currentTimeMillis() + TimeUnit.SECONDS.toMillis(TIMEOUT_S);
        while (!condition.getAsBoolean()) {
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(10);
        }
    }

    static Map<String, String> props(String... kv) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put(kv[i], kv[i + 1]);
        }
        return m;
    }

    /** SEND_MESSAGE_V2 as the 4.9.7 client builds it. */
    static RemotingCommand sendV2(String topic, int queueId, String body, Map<String, String> properties) {
        return RemotingCommand.request(RequestCode.SEND_MESSAGE_V2)
                .put("a", "PG").put("b", topic).put("c", "TBW102").put("d", 4).put("e", queueId).put("f", 0)
                .put("g", System.currentTimeMillis()).put("h", 0).put("i", MessageProperties.encode(properties))
                .put("j", 0).put("k", false).put("m", false).put("n", "broker-a")
                .body(body.getBytes(StandardCharsets.UTF_8));
    }

    /** SEND_BATCH_MESSAGE: records per spec 5.2, batch-level properties in header i. */
    static RemotingCommand sendBatch(String topic, int queueId, Map<String, String> batchProps, List<String> bodies,
                                     List<Map<String, String>> recordProps) {
        int size = 0;
        byte[][] propBytes = new byte[bodies.size()][];
        for (int i = 0; i < bodies.size(); i++) {
            propBytes[i] = MessageProperties.encode(recordProps.get(i)).getBytes(StandardCharsets.UTF_8);
            size += 22 + bodies.get(i).getBytes(StandardCharsets.UTF_8).length + propBytes[i].length;
        }
        ByteBuffer buf = ByteBuffer.allocate(size);
        for (int i = 0; i < bodies.size(); i++) {
            byte[] body = bodies.get(i).getBytes(StandardCharsets.UTF_8);
            buf.putInt(22 + body.length + propBytes[i].length).putInt(0).putInt(0).putInt(7)
                    .putInt(body.length).put(body).putShort((short) propBytes[i].length).put(propBytes[i]);
        }
        return RemotingCommand.request(RequestCode.SEND_BATCH_MESSAGE)
                .put("a", "PG").put("b", topic).put("c", "TBW102").put("d", 4).put("e", queueId).put("f", 0)
                .put("g", System.currentTimeMillis()).put("h", 0).put("i", MessageProperties.encode(batchProps))
                .put("j", 0).put("k", false).put("m", true)
                .body(buf.array());
    }

    /** PULL_MESSAGE like a push consumer (sysFlag SUSPEND, plus SUBSCRIPTION when an expression is given). */
    static RemotingCommand pull(String group, String topic, int queueId, long offset, String subscription,
                                long suspendMs) {
        int sysFlag = 0x2 | (subscription != null ? 0x4 : 0);
        RemotingCommand r = RemotingCommand.request(RequestCode.PULL_MESSAGE)
                .put("consumerGroup", group).put("topic", topic).put("queueId", queueId).put("queueOffset", offset)
                .put("maxMsgNums", 32).put("sysFlag", sysFlag).put("commitOffset", 0)
                .put("suspendTimeoutMillis", suspendMs).put("subVersion", 0).put("expressionType", "TAG");
        if (subscription != null) {
            r.put("subscription", subscription);
        }
        return r;
    }

    static String heartbeatBody(String clientId, String group, String topic) {
        return "{\"clientID\":\"" + clientId + "\",\"consumerDataSet\":[{\"consumeFromWhere\":\"CONSUME_FROM_LAST_OFFSET\","
                + "\"consumeType\":\"CONSUME_PASSIVELY\",\"groupName\":\"" + group + "\",\"messageModel\":\"CLUSTERING\","
                + "\"subscriptionDataSet\":[{\"classFilterMode\":false,\"codeSet\":[],\"expressionType\":\"TAG\","
                + "\"subString\":\"*\",\"subVersion\":1,\"tagsSet\":[],\"topic\":\"%RETRY%" + group + "\"},"
                + "{\"classFilterMode\":false,\"codeSet\":[],\"expressionType\":\"TAG\",\"subString\":\"*\","
                + "\"subVersion\":1,\"tagsSet\":[],\"topic\":\"" + topic + "\"}],\"unitMode\":false}],"
                + "\"producerDataSet\":[{\"groupName\":\"CLIENT_INNER_PRODUCER\"}]}";
    }

    @Override
    public void close() throws Exception {
        try {
            if (broker != null) {
                broker.stop().await(TIMEOUT_S, TimeUnit.SECONDS);
            }
            client.close().await(TIMEOUT_S, TimeUnit.SECONDS);
        } finally {
            vertx.close().await(TIMEOUT_S, TimeUnit.SECONDS);
            nameServer.close();
        }
    }
}

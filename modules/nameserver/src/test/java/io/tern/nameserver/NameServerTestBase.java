package io.tern.nameserver;

import static org.junit.jupiter.api.Assertions.fail;

import io.tern.common.Json;
import io.tern.common.protocol.DataVersion;
import io.tern.common.protocol.RegisterBrokerBody;
import io.tern.common.protocol.TopicConfig;
import io.tern.remoting.RemotingClient;
import io.tern.remoting.protocol.RemotingCommand;
import io.tern.remoting.protocol.RequestCode;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * Starts a real nameserver on an ephemeral port and talks to it with {@link RemotingClient}s, the way brokers
 * and clients do. Every client made through {@link #newClient()} is closed after the test.
 */
abstract class NameServerTestBase {
    static final String CLUSTER = "DefaultCluster";
    /** Generous: the suite shares two cores with other builds; nothing here measures speed. */
    static final long REQUEST_TIMEOUT_MS = 15_000;

    @TempDir
    Path tempDir;
    Vertx vertx;
    NameServer nameServer;
    NameServerConfig config;
    /** The admin/client side; brokers get their own clients so their connections can be closed alone. */
    RemotingClient client;
    private final List<RemotingClient> clients = new ArrayList<>();

    /** Override to change the config before start. */
    void configure(NameServerConfig config) {
    }

    @BeforeEach
    void startNameServer() throws Exception {
        vertx = Vertx.vertx();
        config = new NameServerConfig();
        config.listenPort = 0;
        config.host = "127.0.0.1";
        config.serverInstances = 2;
        config.kvConfigPath = tempDir.resolve("namesrv/kvConfig.json").toString();
        configure(config);
        nameServer = NameServer.start(vertx, config).await(30, TimeUnit.SECONDS);
        client = newClient();
    }

    @AfterEach
    void stopNameServer() throws Exception {
        for (RemotingClient c : clients) {
            c.close().await(30, TimeUnit.SECONDS);
        }
        if (nameServer != null) {
            nameServer.stop().await(30, TimeUnit.SECONDS);
        }
        vertx.close().await(30, TimeUnit.SECONDS);
    }

    RemotingClient newClient() {
        RemotingClient c = new RemotingClient(vertx);
        clients.add(c);
        return c;
    }

    String addr() {
        return "127.0.0.1:" + nameServer.port();
    }

    RemotingCommand call(RemotingCommand request) throws Exception {
        return call(client, request);
    }

    RemotingCommand call(RemotingClient via, RemotingCommand request) throws Exception {
        return via.invoke(addr(), request, REQUEST_TIMEOUT_MS).await(REQUEST_TIMEOUT_MS + 5000, TimeUnit.MILLISECONDS);
    }

    RemotingCommand route(String topic) throws Exception {
        return call(RemotingCommand.request(RequestCode.GET_ROUTEINFO_BY_TOPIC).put("topic", topic));
    }

    static JsonObject json(RemotingCommand response) {
        return new JsonObject(response.body());
    }

    static RemotingCommand registerRequest(String brokerName, long brokerId, String brokerAddr, byte[] body) {
        return RemotingCommand.request(RequestCode.REGISTER_BROKER)
                .put("brokerName", brokerName)
                .put("brokerAddr", brokerAddr)
                .put("clusterName", CLUSTER)
                .put("haServerAddr", haAddrOf(brokerAddr))
                .put("brokerId", brokerId)
                .put("compressed", false)
                .body(body);
    }

    static String haAddrOf(String brokerAddr) {
        int colon = brokerAddr.lastIndexOf(':');
        return brokerAddr.substring(0, colon + 1) + (Integer.parseInt(brokerAddr.substring(colon + 1)) + 1);
    }

    /** A RegisterBrokerBody with the given data version counter and topics. */
    static byte[] body(long counter, TopicConfig... topics) {
        RegisterBrokerBody body = new RegisterBrokerBody();
        DataVersion version = new DataVersion();
        version.counter = counter;
        version.timestamp = 1_700_000_000_000L;
        body.topicConfigSerializeWrapper.dataVersion = version;
        for (TopicConfig t : topics) {
            body.topicConfigSerializeWrapper.topicConfigTable.put(t.topicName, t);
        }
        return Json.toBytes(body);
    }

    static TopicConfig topic(String name, int queues, int perm) {
        return new TopicConfig(name, queues, queues, perm);
    }

    /** Waits (bounded) for a condition that another thread makes true. */
    static void awaitTrue(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                fail("never became true: " + what);
            }
            Thread.sleep(20);
        }
    }
}

package io.tern.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tern.broker.Broker;
import io.tern.broker.BrokerConfig;
import io.tern.broker.BrokerRole;
import io.tern.controller.Controller;
import io.tern.controller.ControllerConfig;
import io.tern.nameserver.NameServer;
import io.tern.nameserver.NameServerConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A broker in controller mode, in one JVM with a nameserver and a controller peer: the controller elects it (the
 * only replica) master of epoch 1, it registers as brokerId 0, and its HTTP API and metrics show the controller's
 * state; a broker without controller mode answers 404 there.
 */
class ControllerModeBrokerTest {
    private final Vertx vertx = Vertx.vertx();
    private final HttpClient http = HttpClient.newHttpClient();

    @AfterEach
    void closeVertx() throws Exception {
        await(vertx.close());
    }

    @Test
    void theOnlyReplicaIsElectedMasterAndTheHttpApiShowsTheController(@TempDir Path dir) throws Exception {
        NameServerConfig nsConfig = new NameServerConfig();
        nsConfig.listenPort = 0;
        nsConfig.host = "127.0.0.1";
        nsConfig.kvConfigPath = dir.resolve("kv.json").toString();
        NameServer ns = await(NameServer.start(vertx, nsConfig));
        ControllerConfig ctl = new ControllerConfig();
        ctl.controllerListenPort = 0;
        ctl.host = "127.0.0.1";
        try (ServerSocket s = new ServerSocket(0)) {
            ctl.controllerRaftPort = s.getLocalPort();
        }
        ctl.controllerStorePath = dir.resolve("ctl").toString();
        ctl.brokerHeartbeatTimeoutMs = 1_000;
        Controller controller = await(Controller.start(vertx, ctl));

        BrokerConfig config = new BrokerConfig();
        config.brokerName = "broker-c";
        config.brokerId = 1;
        config.brokerRole = BrokerRole.ASYNC_MASTER;
        config.controllerMode = true;
        config.controllerAddr = "127.0.0.1:" + controller.port();
        config.controllerHeartbeatIntervalMs = 200;
        config.listenPort = 0;
        config.httpPort = 0;
        config.host = "127.0.0.1";
        config.fastListenPortEnable = false;
        config.namesrvAddr = "127.0.0.1:" + ns.port();
        config.store.storeRoot = dir.resolve("store").toString();
        Broker broker = await(Broker.start(vertx, config));
        try {
            awaitTrue("elected master", () -> broker.controllerAgent().isMaster()
                    && broker.controllerAgent().leaseValid());
            assertEquals(0, config.brokerId, "a master registers as brokerId 0");
            assertEquals(BrokerRole.ASYNC_MASTER, config.brokerRole);
            assertEquals(1, broker.controllerAgent().epoch());
            assertTrue(broker.controllerAgent().status().getJsonObject("epochFile").containsKey("1"),
                    "epoch 1 in the epoch file");
            awaitTrue("the nameserver names it master (brokerId 0)", () -> broker.address().equals(masterOf(ns)));

            HttpResponse<String> api = get(broker.httpPort(), "/api/controller");
            assertEquals(200, api.statusCode(), api.body());
            JsonObject state = new JsonObject(api.body());
            assertTrue(state.getBoolean("leader"));
            JsonObject group = state.getJsonArray("groups").getJsonObject(0);
            assertEquals("broker-c", group.getString("group"));
            assertEquals(1L, group.getLong("masterId"));
            assertEquals(1, group.getInteger("epoch"));
            String metrics = get(broker.httpPort(), "/metrics").body();
            assertTrue(metrics.contains("tern_controller_master 1.0"), metrics);
            assertTrue(metrics.contains("tern_controller_epoch 1.0"), metrics);
        } finally {
            await(broker.stop());
        }

        BrokerConfig plain = new BrokerConfig();
        plain.listenPort = 0;
        plain.httpPort = 0;
        plain.host = "127.0.0.1";
        plain.fastListenPortEnable = false;
        plain.namesrvAddr = "127.0.0.1:" + ns.port();
        plain.store.storeRoot = dir.resolve("plain").toString();
        Broker other = await(Broker.start(vertx, plain));
        try {
            assertEquals(null, other.controllerAgent());
            assertEquals(404, get(other.httpPort(), "/api/controller").statusCode());
        } finally {
            await(other.stop());
            await(controller.stop());
            await(ns.stop());
        }
    }

    private static String masterOf(NameServer ns) {
        io.tern.common.protocol.BrokerData data = ns.registry().clusterInfo().brokerAddrTable.get("broker-c");
        return data == null ? null : data.brokerAddrs.get(0L);
    }

    private HttpResponse<String> get(int port, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static void awaitTrue(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, "not within 60 s: " + what);
            Thread.sleep(50);
        }
    }

    private static <T> T await(Future<T> future) throws Exception {
        return future.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    }
}

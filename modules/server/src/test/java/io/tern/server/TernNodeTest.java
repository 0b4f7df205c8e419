package io.tern.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tern.remoting.LocalChannel;
import io.tern.remoting.RemotingChannel;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The standalone start opens the broker's store while the nameserver binds, then points the broker at the
 * nameserver's actual port; a failure on either side stops what the other already started.
 */
class TernNodeTest {
    private final Vertx vertx = Vertx.vertx();

    @AfterEach
    void closeVertx() throws Exception {
        await(vertx.close());
    }

    @Test
    void standaloneBrokerRegistersWithTheNameServerOnItsEphemeralPort(@TempDir Path storeRoot) throws Exception {
        TernNode node = await(TernNode.start(vertx, Role.STANDALONE, config(storeRoot, 0)));
        try {
            assertEquals(node.nameServerAddress(), node.brokerConfig().namesrvAddr);
            assertTrue(node.nameServer().port() > 0);
            assertTrue(node.readyLine().contains("broker " + node.broker().address()), node.readyLine());
        } finally {
            await(node.stop());
        }
    }

    @Test
    void aStandaloneBrokerRegistersWithItsNameServerOverTheEventBus(@TempDir Path storeRoot) throws Exception {
        TernNode node = await(TernNode.start(vertx, Role.STANDALONE, config(storeRoot, 0)));
        try {
            String broker = node.broker().address();
            RemotingChannel channel = node.nameServer().registry().registeredOver(broker);
            assertInstanceOf(LocalChannel.class, channel, "registered in-process, not over a TCP connection");
            assertFalse(channel.isClosed());

            await(node.broker().stop());
            assertNull(node.nameServer().registry().registeredOver(broker), "unregistered over the event bus");
            assertFalse(channel.isClosed(), "by UNREGISTER_BROKER, not by a closed channel");
        } finally {
            await(node.stop());
        }
    }

    @Test
    void aBrokerThatCannotListenStopsTheNameServerAndReleasesTheStore(@TempDir Path storeRoot) throws Exception {
        try (ServerSocket taken = new ServerSocket()) {
            taken.bind(new InetSocketAddress("0.0.0.0", 0));
            ExecutionException failure = assertThrows(ExecutionException.class,
                    () -> await(TernNode.start(vertx, Role.STANDALONE, config(storeRoot, taken.getLocalPort()))));
            assertTrue(failure.getCause() != null, "start failed: " + failure);
        }
        // the store lock and the nameserver are released: the same store root starts again
        TernNode node = await(TernNode.start(vertx, Role.STANDALONE, config(storeRoot, 0)));
        await(node.stop());
    }

    @Test
    void theNameServersRefusalsShowInTheStandaloneBrokersMetrics(@TempDir Path storeRoot) throws Exception {
        JsonObject config = config(storeRoot, 0);
        config.getJsonObject("nameserver").put("maxConnectionsPerAddress", 1);
        config.getJsonObject("broker").put("httpPort", 0).put("httpHost", "127.0.0.1");
        TernNode node = await(TernNode.start(vertx, Role.STANDALONE, config));
        try (Socket first = new Socket("127.0.0.1", node.nameServer().port())) {
            // accepted connections are admitted on their event loops: let the first one in before the second
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (node.nameServer().connectionGuard().openConnections() < 1 && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            Socket second = new Socket("127.0.0.1", node.nameServer().port());
            second.setSoTimeout(10_000);
            assertEquals(-1, second.getInputStream().read(), "the second connection from one address is closed");
            second.close();
            String metrics = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                            java.net.URI.create("http://127.0.0.1:" + node.broker().httpPort() + "/metrics")).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString()).body();
            assertTrue(metrics.contains(
                    "tern_remoting_refused_total{reason=\"max_connections_per_address\",server=\"nameserver\"} 1.0"),
                    metrics);
            assertTrue(metrics.contains("tern_remoting_guarded_connections{server=\"nameserver\"} 1.0"), metrics);
            assertTrue(metrics.contains("tern_remoting_guarded_connections{server=\"broker\"}"), metrics);
            assertTrue(first.isConnected());
        } finally {
            await(node.stop());
        }
    }

    private static JsonObject config(Path storeRoot, int brokerPort) {
        return new JsonObject()
                .put("nameserver", new JsonObject().put("listenPort", 0).put("host", "127.0.0.1"))
                .put("broker", new JsonObject()
                        .put("listenPort", brokerPort)
                        .put("host", "0.0.0.0")
                        .put("brokerIP1", "127.0.0.1")
                        .put("httpPort", -1)
                        .put("fastListenPortEnable", false)
                        .put("store", new JsonObject()
                                .put("storeRoot", storeRoot.toString())
                                .put("commitLogSegmentBytes", 1024 * 1024)
                                .put("warmMappedFile", false)));
    }

    private static <T> T await(Future<T> future) throws Exception {
        return future.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    }
}

package io.tern.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tern.remoting.RemotingClient;
import io.tern.remoting.controller.ControllerWire;
import io.tern.remoting.protocol.RemotingCommand;
import io.tern.remoting.protocol.ResponseCode;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The controller peer in a process: embedded in a nameserver with {@code controllerEnabled} (a group of one here),
 * or alone as the {@code controller} role; off by default, the nameserver runs none.
 */
class ControllerNodeTest {
    private final Vertx vertx = Vertx.vertx();

    @AfterEach
    void closeVertx() throws Exception {
        await(vertx.close());
    }

    private static JsonObject config(Path dir, boolean enabled) throws Exception {
        int raftPort;
        try (ServerSocket s = new ServerSocket(0)) {
            raftPort = s.getLocalPort();
        }
        return new JsonObject().put("nameserver", new JsonObject().put("listenPort", 0).put("host", "127.0.0.1")
                .put("kvConfigPath", dir.resolve("kv.json").toString())
                .put("controllerEnabled", enabled).put("controllerListenPort", 0)
                .put("controllerRaftPort", raftPort).put("controllerStorePath", dir.resolve("ctl").toString()));
    }

    @Test
    void aNameServerWithControllerEnabledRunsALeadingControllerPeer(@TempDir Path dir) throws Exception {
        TernNode node = await(TernNode.start(vertx, Role.NAMESERVER, config(dir, true)));
        RemotingClient client = new RemotingClient(vertx);
        try {
            assertNotNull(node.nameServer());
            assertNotNull(node.controller());
            assertTrue(node.readyLine().contains("controller 127.0.0.1:" + node.controller().port()),
                    node.readyLine());
            JsonObject state = awaitLeader(client, node.controller().port());
            assertEquals("n0", state.getString("selfId"));
            assertEquals(0, state.getJsonArray("groups").size());
        } finally {
            await(client.close());
            await(node.stop());
        }
    }

    @Test
    void theControllerRoleRunsOnlyAControllerAndNameServersRunNoneByDefault(@TempDir Path dir) throws Exception {
        TernNode alone = await(TernNode.start(vertx, Role.CONTROLLER, config(dir.resolve("a"), false)));
        RemotingClient client = new RemotingClient(vertx);
        try {
            assertNull(alone.nameServer());
            assertNull(alone.broker());
            awaitLeader(client, alone.controller().port());
        } finally {
            await(client.close());
            await(alone.stop());
        }
        TernNode plain = await(TernNode.start(vertx, Role.NAMESERVER, config(dir.resolve("b"), false)));
        try {
            assertNull(plain.controller());
        } finally {
            await(plain.stop());
        }
    }

    private static JsonObject awaitLeader(RemotingClient client, int port) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (true) {
            RemotingCommand r = await(client.invoke("127.0.0.1:" + port,
                    RemotingCommand.request(ControllerWire.GET_CONTROLLER_STATE), 5_000));
            assertEquals(ResponseCode.SUCCESS, r.code());
            JsonObject state = new JsonObject(new String(r.bodyBytes(), StandardCharsets.UTF_8));
            if (state.getBoolean("leader")) {
                return state;
            }
            assertTrue(System.nanoTime() < deadline, "the peer of a group of one leads: " + state);
            Thread.sleep(100);
        }
    }

    private static <T> T await(Future<T> future) throws Exception {
        return future.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    }
}

package io.tern.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tern.controller.Controller;
import io.tern.controller.ControllerConfig;
import io.tern.remoting.RemotingClient;
import io.tern.remoting.controller.ControllerWire;
import io.tern.remoting.protocol.RemotingCommand;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code tern-admin controllerState} against a controller peer (a group of one) that knows one broker group. */
class ControllerStateCommandTest {
    @Test
    void printsTheLeaderAndEachGroupsMasterEpochAndReplicas(@TempDir Path dir) throws Exception {
        Vertx vertx = Vertx.vertx();
        ControllerConfig config = new ControllerConfig();
        config.controllerListenPort = 0;
        config.host = "127.0.0.1";
        try (ServerSocket s = new ServerSocket(0)) {
            config.controllerRaftPort = s.getLocalPort();
        }
        config.controllerStorePath = dir.toString();
        Controller controller = await(Controller.start(vertx, config));
        RemotingClient client = new RemotingClient(vertx);
        try {
            String addr = "127.0.0.1:" + controller.port();
            JsonObject beat = new JsonObject().put("cluster", "C1").put("group", "broker-x").put("replicaId", 1)
                    .put("address", "127.0.0.1:30911").put("haAddress", "127.0.0.1:30912").put("maxOffset", 0)
                    .put("epoch", 0).put("master", false);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (await(client.invoke(addr, RemotingCommand.request(ControllerWire.BROKER_HEARTBEAT)
                    .body(beat.encode().getBytes(StandardCharsets.UTF_8)), 5_000)).code() != 0) {
                assertTrue(System.nanoTime() < deadline, "the controller leads within 60 s");
                Thread.sleep(100);
            }

            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            int code = TernAdmin.run(new String[] {"controllerState", "-a", addr}, new PrintStream(out, true),
                    new PrintStream(err, true));
            String text = out.toString(StandardCharsets.UTF_8);
            assertEquals(0, code, text + err);
            assertTrue(text.contains("controller n0 (leader n0"), text);
            assertTrue(text.lines().anyMatch(l -> l.startsWith("C1") && l.contains("broker-x")
                    && l.contains("1=127.0.0.1:30911(alive)")), text);

            ByteArrayOutputStream json = new ByteArrayOutputStream();
            assertEquals(0, TernAdmin.run(new String[] {"controllerState", "-a", addr, "--json"},
                    new PrintStream(json, true), new PrintStream(err, true)));
            assertTrue(new JsonObject(json.toString(StandardCharsets.UTF_8)).getBoolean("leader"));
        } finally {
            await(client.close());
            await(controller.stop());
            await(vertx.close());
        }
    }

    private static <T> T await(Future<T> f) throws Exception {
        return f.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    }
}

package io.tern.remoting;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tern.remoting.protocol.RemotingCommand;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Port 0 means a port of the server's own: servers deployed with port 0 on one Vert.x instance (a nameserver, a
 * broker, an HTTP API) each get a different port, and the instances of one deployment share theirs.
 */
class ListenPortTest {
    private final Vertx vertx = Vertx.vertx();

    @AfterEach
    void close() throws Exception {
        vertx.close().await(10, TimeUnit.SECONDS);
    }

    private RemotingServer serverAnswering(String name, int instances) throws Exception {
        ProcessorTable table = new ProcessorTable().register(1, (c, req) -> Future.succeededFuture(
                RemotingCommand.successTo(req).put("server", name)));
        return RemotingServer.deploy(vertx, "127.0.0.1", 0, instances, table, ConnectionListener.NONE)
                .await(10, TimeUnit.SECONDS);
    }

    @Test
    void everyServerWithPortZeroGetsItsOwnPortAndKeepsItsConnections() throws Exception {
        RemotingServer a = serverAnswering("a", 4);
        RemotingServer b = serverAnswering("b", 2);
        HttpServer http = vertx.createHttpServer().requestHandler(req -> req.response().end())
                .listen(ListenPort.toBind(0), "127.0.0.1").await(10, TimeUnit.SECONDS);
        Set<Integer> ports = new TreeSet<>(List.of(a.port(), b.port(), http.actualPort()));
        assertEquals(3, ports.size(), "distinct ports: " + ports);
        assertTrue(ports.stream().allMatch(p -> p > 0), "real ports: " + ports);

        // many connections to a's port: every one is a's (a server joining a's listener would take some)
        List<RemotingClient> clients = new ArrayList<>();
        try {
            for (int i = 0; i < 8; i++) {
                RemotingClient client = new RemotingClient(vertx);
                clients.add(client);
                RemotingCommand answer = client.invoke("127.0.0.1:" + a.port(), RemotingCommand.request(1), 10_000)
                        .await(10, TimeUnit.SECONDS);
                assertEquals("a", answer.ext("server"));
            }
        } finally {
            for (RemotingClient client : clients) {
                client.close().await(5, TimeUnit.SECONDS);
            }
        }
    }

    @Test
    void fixedAndNegativePortsAreBoundAsGiven() {
        assertEquals(10911, ListenPort.toBind(10911));
        assertEquals(-7, ListenPort.toBind(-7));
        assertNotEquals(ListenPort.toBind(0), ListenPort.toBind(0));
        assertTrue(ListenPort.toBind(0) < 0);
    }
}

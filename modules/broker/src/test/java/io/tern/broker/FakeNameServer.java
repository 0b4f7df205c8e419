package io.tern.broker;

import io.tern.common.Json;
import io.tern.common.protocol.RegisterBrokerBody;
import io.tern.remoting.ConnectionListener;
import io.tern.remoting.ProcessorTable;
import io.tern.remoting.RemotingServer;
import io.tern.remoting.protocol.RemotingCommand;
import io.tern.remoting.protocol.RequestCode;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * A stand-in nameserver for broker tests (the nameserver module is not a dependency of the broker): accepts
 * REGISTER_BROKER and UNREGISTER_BROKER and records what it got.
 */
final class FakeNameServer {
    record Registration(Map<String, String> header, RegisterBrokerBody body) {
    }

    final List<Registration> registrations = new CopyOnWriteArrayList<>();
    final List<Map<String, String>> unregistrations = new CopyOnWriteArrayList<>();
    /** How many of the next registrations are answered SYSTEM_ERROR. */
    final java.util.concurrent.atomic.AtomicInteger refuseRegistrations = new java.util.concurrent.atomic.AtomicInteger();
    private final Vertx vertx;
    private final RemotingServer server;

    /**
     * Runs on its own Vertx: RemotingServer binds port 0 as Vert.x's shared random port -1, so two servers in one
     * Vertx would share one port (reported to the remoting owner).
     */
    FakeNameServer() throws Exception {
        this.vertx = Vertx.vertx();
        ProcessorTable table = new ProcessorTable()
                .register(RequestCode.REGISTER_BROKER, (c, req) -> {
                    registrations.add(new Registration(Map.copyOf(req.extFields()),
                            Json.fromBytes(req.bodyBytes(), RegisterBrokerBody.class)));
                    if (refuseRegistrations.getAndDecrement() > 0) {
                        return Future.succeededFuture(RemotingCommand.responseTo(req, 1, "refused by the test"));
                    }
                    return Future.succeededFuture(RemotingCommand.successTo(req));
                })
                .register(RequestCode.UNREGISTER_BROKER, (c, req) -> {
                    unregistrations.add(Map.copyOf(req.extFields()));
                    return Future.succeededFuture(RemotingCommand.successTo(req));
                });
        server = RemotingServer.deploy(vertx, "127.0.0.1", 0, 1, table, ConnectionListener.NONE)
                .await(10, TimeUnit.SECONDS);
    }

    String address() {
        return "127.0.0.1:" + server.port();
    }

    void close() throws Exception {
        vertx.close().await(10, TimeUnit.SECONDS);
    }

    /** The first registration carrying {@code topic}, waiting up to 10 s for it (registration is asynchronous). */
    Registration awaitTopic(String topic) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 10_000;
        while (System.currentTimeMillis() < deadline) {
            for (Registration r : registrations) {
                if (r.body().topicConfigSerializeWrapper.topicConfigTable.containsKey(topic)) {
                    return r;
                }
            }
            Thread.sleep(10);
        }
        throw new AssertionError("topic " + topic + " was never registered");
    }

    /** Waits up to 10 s until at least {@code n} registrations arrived. */
    void awaitRegistrations(int n) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 10_000;
        while (registrations.size() < n && System.currentTimeMillis() < deadline) {
            Thread.sleep(10);
        }
        if (registrations.size() < n) {
            throw new AssertionError("only " + registrations.size() + " registrations, expected " + n);
        }
    }

    Registration last() {
        return registrations.isEmpty() ? null : registrations.get(registrations.size() - 1);
    }
}

package io.tern.controller;

import io.tern.remoting.RemotingClient;
import io.tern.remoting.controller.ControllerWire;
import io.tern.remoting.protocol.RemotingCommand;
import io.tern.remoting.protocol.ResponseCode;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * Test harness: a Raft group of controller peers in this JVM, each on its own Vert.x instance (as separate
 * processes would be), on free ports and a temp directory; plus a heartbeat client speaking the wire protocol.
 */
final class ControllerPeers implements AutoCloseable {
    final List<String> ids = new ArrayList<>();
    final List<Integer> raftPorts = new ArrayList<>();
    final List<Integer> listenPorts = new ArrayList<>();
    final Controller[] controllers;
    final Vertx[] vertxes;
    private final Path dir;
    private final long timeoutMs;
    private final long snapshotThreshold;
    private final Vertx clientVertx = Vertx.vertx();
    private final RemotingClient client = new RemotingClient(clientVertx);

    ControllerPeers(int n, Path dir, long timeoutMs, long snapshotThreshold) throws IOException {
        this.dir = dir;
        this.timeoutMs = timeoutMs;
        this.snapshotThreshold = snapshotThreshold;
        controllers = new Controller[n];
        vertxes = new Vertx[n];
        for (int i = 0; i < n; i++) {
            ids.add("n" + i);
            raftPorts.add(freePort());
            listenPorts.add(freePort());
        }
    }

    /** A port free right now (Ratis needs every peer's address before any binds). */
    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    ControllerConfig config(int i) {
        ControllerConfig c = new ControllerConfig();
        c.controllerEnabled = true;
        c.host = "127.0.0.1";
        c.controllerListenPort = listenPorts.get(i);
        StringBuilder peers = new StringBuilder();
        for (int p = 0; p < ids.size(); p++) {
            peers.append(p == 0 ? "" : ";").append(ids.get(p)).append("-127.0.0.1:").append(raftPorts.get(p));
        }
        c.controllerPeers = peers.toString();
        c.controllerSelfId = ids.get(i);
        c.controllerStorePath = dir.toString();
        c.brokerHeartbeatTimeoutMs = timeoutMs;
        c.controllerSnapshotThreshold = snapshotThreshold;
        c.controllerScanIntervalMs = 100;
        return c;
    }

    void start(int i) {
        vertxes[i] = Vertx.vertx();
        controllers[i] = get(Controller.start(vertxes[i], config(i)));
    }

    void startAll() {
        for (int i = 0; i < controllers.length; i++) {
            start(i);
        }
    }

    void stop(int i) {
        if (controllers[i] != null) {
            get(controllers[i].stop());
            get(vertxes[i].close());
            controllers[i] = null;
        }
    }

    /** The index of the peer that leads, waiting for one. */
    int awaitLeader() throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            for (int i = 0; i < controllers.length; i++) {
                if (controllers[i] != null && controllers[i].node().isLeaderReady()) {
                    return i;
                }
            }
            Thread.sleep(50);
        }
        throw new AssertionError("no controller leader within 60 s");
    }

    String addresses() {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < controllers.length; i++) {
            s.append(i == 0 ? "" : ";").append("127.0.0.1:").append(listenPorts.get(i));
        }
        return s.toString();
    }

    /**
     * One heartbeat as a broker sends it, to whichever running peer leads; the leader's answer body, or null when
     * no running peer leads right now.
     */
    JsonObject heartbeat(String group, long id, long maxOffset, boolean master, int epoch, List<Long> inSync,
                         JsonObject epochStart) {
        JsonObject body = new JsonObject().put("cluster", "C").put("group", group).put("replicaId", id)
                .put("address", "127.0.0.1:" + (20000 + id)).put("haAddress", "127.0.0.1:" + (21000 + id))
                .put("maxOffset", maxOffset).put("master", master).put("epoch", epoch);
        if (inSync != null) {
            body.put("inSync", new JsonArray(new ArrayList<Object>(inSync)));
        }
        if (epochStart != null) {
            body.put("epochStart", epochStart);
        }
        for (int i = 0; i < controllers.length; i++) {
            if (controllers[i] == null) {
                continue;
            }
            RemotingCommand request = RemotingCommand.request(ControllerWire.BROKER_HEARTBEAT)
                    .body(body.encode().getBytes(StandardCharsets.UTF_8));
            RemotingCommand r;
            try {
                r = get(client.invoke("127.0.0.1:" + listenPorts.get(i), request, 10_000));
            } catch (RuntimeException e) {
                continue;
            }
            if (r.code() == ResponseCode.SUCCESS) {
                return new JsonObject(new String(r.bodyBytes(), StandardCharsets.UTF_8));
            }
        }
        return null;
    }

    /** GET_CONTROLLER_STATE of peer {@code i}. */
    JsonObject state(int i) {
        RemotingCommand r = get(client.invoke("127.0.0.1:" + listenPorts.get(i),
                RemotingCommand.request(ControllerWire.GET_CONTROLLER_STATE), 10_000));
        return new JsonObject(new String(r.bodyBytes(), StandardCharsets.UTF_8));
    }

    /** Waits until {@code check} holds for a group's state as peer {@code i} applied it. */
    JsonObject awaitGroup(int i, String group, Predicate<ControllerWire.GroupView> check) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        ControllerWire.GroupView last = null;
        while (System.nanoTime() < deadline) {
            JsonObject g = controllers[i].node().state().group(group);
            if (g != null) {
                last = ControllerWire.GroupView.fromJson(g);
                if (check.test(last)) {
                    return g;
                }
            }
            Thread.sleep(50);
        }
        throw new AssertionError("group " + group + " on peer " + i + " never reached the expected state; last "
                + last);
    }

    /** Waits for {@code f} (these tests run on the JUnit thread, never on an event loop). */
    static <T> T get(io.vertx.core.Future<T> f) {
        try {
            return f.await(60, TimeUnit.SECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            throw new AssertionError("no answer within 60 s", e);
        }
    }

    @Override
    public void close() {
        for (int i = 0; i < controllers.length; i++) {
            stop(i);
        }
        get(client.close());
        get(clientVertx.close());
    }
}

package io.tern.controller;

import io.tern.controller.raft.RaftNode;
import io.tern.remoting.ProcessorTable;
import io.tern.remoting.RemotingServer;
import io.tern.remoting.controller.ControllerWire;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A controller peer as a verticle: starts its {@link RaftNode} (on a worker: storage recovery blocks), serves
 * brokers' heartbeats and state queries on {@code controllerListenPort} (remoting server verticles, children of
 * this deployment) and runs the {@link MasterElector} on this verticle's event loop.
 *
 * <p>Undeploying it stops the peer: the server closes, then the Raft node (snapshot on the way out).
 *
 * <p>Thread contract: {@link #port()} and {@link #node()} from any thread once deployed.
 */
public final class ControllerVerticle extends VerticleBase {
    private static final Logger LOG = LoggerFactory.getLogger(ControllerVerticle.class);

    private final ControllerConfig config;
    private volatile RaftNode node;
    private volatile int port = -1;
    private long timer = -1;

    public ControllerVerticle(ControllerConfig config) {
        this.config = config;
    }

    @Override
    public Future<?> start() {
        return vertx.executeBlocking(() -> RaftNode.start(config), false).compose(n -> {
            node = n;
            BrokerLiveness liveness = new BrokerLiveness();
            HeartbeatProcessor heartbeats = new HeartbeatProcessor(n, liveness, config, context);
            ProcessorTable table = new ProcessorTable()
                    .register(ControllerWire.BROKER_HEARTBEAT, heartbeats::heartbeat)
                    .register(ControllerWire.GET_CONTROLLER_STATE, heartbeats::state);
            MasterElector elector = new MasterElector(n, liveness, config, task -> context.runOnContext(v -> task.run()));
            // one instance: liveness and elections are owned by this verticle's event loop
            return RemotingServer.deploy(vertx, config.host, config.controllerListenPort, 1, table, c -> { })
                    .onSuccess(server -> {
                        port = server.port();
                        timer = vertx.setPeriodic(config.controllerScanIntervalMs,
                                id -> elector.scan(System.nanoTime()));
                        LOG.info("controller {} of {} serving brokers on port {}", n.selfId(), n.peerIds(), port);
                    })
                    .recover(e -> closeNode().transform(ignored -> Future.failedFuture(e)));
        });
    }

    @Override
    public Future<?> stop() {
        vertx.cancelTimer(timer);
        return closeNode();
    }

    private Future<Void> closeNode() {
        RaftNode n = node;
        return n == null ? Future.succeededFuture() : vertx.executeBlocking(() -> {
            n.close();
            return null;
        }, false);
    }

    /** The port brokers send heartbeats to; -1 before the start completed. */
    public int port() {
        return port;
    }

    /** This peer's Raft node; null before the start completed. */
    public RaftNode node() {
        return node;
    }
}

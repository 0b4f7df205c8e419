package io.tern.controller;

import io.tern.controller.raft.RaftNode;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

/**
 * A deployed controller peer ({@link ControllerVerticle}). Called from a verticle, the deployment is a child of it.
 *
 * <p>Thread contract: {@link #start} and {@link #stop} once each, from any thread.
 */
public final class Controller {
    private final Vertx vertx;
    private final String deploymentId;
    private final ControllerVerticle verticle;

    private Controller(Vertx vertx, String deploymentId, ControllerVerticle verticle) {
        this.vertx = vertx;
        this.deploymentId = deploymentId;
        this.verticle = verticle;
    }

    public static Future<Controller> start(Vertx vertx, ControllerConfig config) {
        ControllerVerticle verticle = new ControllerVerticle(config);
        return vertx.deployVerticle(verticle).map(id -> new Controller(vertx, id, verticle));
    }

    /** The port brokers send heartbeats to. */
    public int port() {
        return verticle.port();
    }

    public RaftNode node() {
        return verticle.node();
    }

    public Future<Void> stop() {
        return vertx.undeploy(deploymentId);
    }
}

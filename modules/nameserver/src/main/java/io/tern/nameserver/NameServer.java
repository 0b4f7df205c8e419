package io.tern.nameserver;

import io.tern.nameserver.route.RouteRegistry;
import io.tern.remoting.security.ConnectionGuard;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

/**
 * A deployed {@link NameServerVerticle}: the nameserver role, served over the remoting protocol by one server
 * verticle per event loop. {@link #stop()} undeploys it.
 *
 * <p>Thread contract: {@link #start} and {@link #stop} once each, from any thread.
 */
public final class NameServer {
    private final Vertx vertx;
    private final String deploymentId;
    private final NameServerVerticle verticle;

    private NameServer(Vertx vertx, String deploymentId, NameServerVerticle verticle) {
        this.vertx = vertx;
        this.deploymentId = deploymentId;
        this.verticle = verticle;
    }

    /**
     * Deploys a nameserver. Called from a verticle, the nameserver's deployment is a child of that verticle's and
     * stops with it.
     */
    public static Future<NameServer> start(Vertx vertx, NameServerConfig config) {
        NameServerVerticle verticle = new NameServerVerticle(config);
        return vertx.deployVerticle(verticle).map(id -> new NameServer(vertx, id, verticle));
    }

    /** The actual listening port (the ephemeral one when the config said 0). */
    public int port() {
        return verticle.port();
    }

    /** The route tables; for in-JVM inspection (tests, metrics). */
    public RouteRegistry registry() {
        return verticle.registry();
    }

    /** The remoting port's connection limits and refusal counters. */
    public ConnectionGuard connectionGuard() {
        return verticle.connectionGuard();
    }

    /** The Vert.x deployment of the nameserver verticle. */
    public String deploymentId() {
        return deploymentId;
    }

    public Future<Void> stop() {
        return vertx.undeploy(deploymentId);
    }
}

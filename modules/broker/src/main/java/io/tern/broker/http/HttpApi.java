package io.tern.broker.http;

import io.tern.broker.BrokerComponents;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

/**
 * The broker's HTTP side: JSON admin API, Prometheus {@code /metrics} and the web console, served by one
 * {@link HttpApiVerticle} on {@code httpPort} (0 = ephemeral). Started by the broker once its remoting port is
 * bound (writes go through it, see {@link Loopback}), stopped before the remoting servers close.
 */
public final class HttpApi {
    private final Vertx vertx;
    private final String deploymentId;
    private final HttpApiVerticle verticle;

    private HttpApi(Vertx vertx, String deploymentId, HttpApiVerticle verticle) {
        this.vertx = vertx;
        this.deploymentId = deploymentId;
        this.verticle = verticle;
    }

    public static Future<HttpApi> start(Vertx vertx, BrokerComponents broker) {
        broker.metrics().bindGauges();
        HttpApiVerticle verticle = new HttpApiVerticle(broker);
        return vertx.deployVerticle(verticle).map(id -> new HttpApi(vertx, id, verticle));
    }

    /** The actual port. */
    public int port() {
        return verticle.port();
    }

    public Future<Void> stop() {
        return vertx.undeploy(deploymentId);
    }
}

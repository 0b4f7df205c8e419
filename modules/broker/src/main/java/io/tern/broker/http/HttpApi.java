package io.tern.broker.http;

import io.tern.broker.BrokerComponents;
import io.tern.broker.metrics.VertxMeters;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

/**
 * The broker's HTTP side: JSON admin API, Prometheus {@code /metrics} and the web console, served by one
 * {@link HttpApiVerticle} on {@code httpPort} (0 = a free port of its own). Deployed by the broker verticle once
 * the broker's requests are served over the event bus (writes go through them, see {@link BrokerRequests}).
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
        broker.metrics().showVertxMeters(VertxMeters.of(vertx));
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

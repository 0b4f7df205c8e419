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

    /**
     * Binds the gauges, then deploys the verticle. The JVM's binders set up management beans and GC notification
     * listeners, ~30 ms of class loading at a broker's start: on a worker, because the caller is the broker
     * verticle's event loop, which also carries the nameserver connections, and a topic created right after the
     * first registration waits for its own registration there (src-docs/performance-notes.md, change 32).
     */
    public static Future<HttpApi> start(Vertx vertx, BrokerComponents broker) {
        return vertx.<Void>executeBlocking(() -> {
                    broker.metrics().bindGauges();
                    broker.metrics().showVertxMeters(VertxMeters.of(vertx));
                    return null;
                }, false)
                .compose(v -> {
                    HttpApiVerticle verticle = new HttpApiVerticle(broker);
                    return vertx.deployVerticle(verticle).map(id -> new HttpApi(vertx, id, verticle));
                });
    }

    /** The actual port. */
    public int port() {
        return verticle.port();
    }

    public Future<Void> stop() {
        return vertx.undeploy(deploymentId);
    }
}

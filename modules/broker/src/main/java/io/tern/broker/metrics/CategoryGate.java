package io.tern.broker.metrics;

import io.vertx.core.Vertx;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.SocketAddress;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.spi.metrics.ClientMetrics;
import io.vertx.core.spi.metrics.EventBusMetrics;
import io.vertx.core.spi.metrics.HttpServerMetrics;
import io.vertx.core.spi.metrics.PoolMetrics;
import io.vertx.core.spi.metrics.TCPMetrics;
import io.vertx.core.spi.metrics.VertxMetrics;

/**
 * Vert.x's metrics (vertx-micrometer-metrics) behind the switches of {@link VertxMeters}: a category that is off
 * gets no metrics object, so Vert.x skips its calls altogether. Vert.x asks for a pool's or a server's metrics when
 * it creates the pool or server, so a switch set from the configuration holds for everything created after it.
 *
 * <p>Thread-safe (the delegate is; the switches are volatile).
 */
final class CategoryGate implements VertxMetrics {
    private final VertxMeters meters;
    private final VertxMetrics delegate;

    CategoryGate(VertxMeters meters, VertxMetrics delegate) {
        this.meters = meters;
        this.delegate = delegate;
    }

    VertxMeters meters() {
        return meters;
    }

    @Override
    public void vertxCreated(Vertx vertx) {
        delegate.vertxCreated(vertx);
        meters.vertxCreated(vertx);
    }

    @Override
    public EventBusMetrics createEventBusMetrics() {
        return delegate.createEventBusMetrics();
    }

    @Override
    public PoolMetrics<?, ?> createPoolMetrics(String type, String name, int maxSize) {
        return meters.enabled() ? delegate.createPoolMetrics(type, name, maxSize) : null;
    }

    @Override
    public HttpServerMetrics<?, ?, ?> createHttpServerMetrics(HttpServerOptions options, SocketAddress localAddress) {
        return meters.enabled() ? delegate.createHttpServerMetrics(options, localAddress) : null;
    }

    @Override
    public TCPMetrics<?> createNetServerMetrics(NetServerOptions options, SocketAddress localAddress) {
        return meters.net() ? delegate.createNetServerMetrics(options, localAddress) : null;
    }

    @Override
    public TCPMetrics<?> createNetClientMetrics(NetClientOptions options) {
        return meters.net() ? delegate.createNetClientMetrics(options) : null;
    }

    @Override
    public ClientMetrics<?, ?, ?> createClientMetrics(SocketAddress remoteAddress, String type, String namespace) {
        return null;
    }

    @Override
    public boolean isMetricsEnabled() {
        return true;
    }

    @Override
    public void close() {
        delegate.close();
    }
}

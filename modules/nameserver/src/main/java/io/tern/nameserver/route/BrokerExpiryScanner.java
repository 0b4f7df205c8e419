package io.tern.nameserver.route;

import io.vertx.core.Vertx;
import java.util.List;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every {@code scanIntervalMs} removes brokers that did not register within the expiry time and closes their
 * connections (RocketMQ's scanNotActiveBroker). The scan runs on an event loop: it is an in-memory pass over a
 * handful of brokers.
 *
 * <p>Thread contract: start and stop from any thread, once each.
 */
public final class BrokerExpiryScanner {
    private static final Logger LOG = LoggerFactory.getLogger(BrokerExpiryScanner.class);

    private final Vertx vertx;
    private final RouteRegistry registry;
    private final long scanIntervalMs;
    private final LongSupplier brokerExpiryMs;
    private volatile long timerId = -1;

    /** @param brokerExpiryMs read on every scan, so a runtime config change takes effect at the next scan */
    public BrokerExpiryScanner(Vertx vertx, RouteRegistry registry, long scanIntervalMs, LongSupplier brokerExpiryMs) {
        this.vertx = vertx;
        this.registry = registry;
        this.scanIntervalMs = Math.max(1, scanIntervalMs);
        this.brokerExpiryMs = brokerExpiryMs;
    }

    public void start() {
        timerId = vertx.setPeriodic(scanIntervalMs, id -> scan());
    }

    public void stop() {
        if (timerId >= 0) {
            vertx.cancelTimer(timerId);
            timerId = -1;
        }
    }

    void scan() {
        List<BrokerLiveInfo> expired = registry.expire(brokerExpiryMs.getAsLong());
        for (BrokerLiveInfo live : expired) {
            LOG.warn("broker {} ({} of cluster {}) expired: no registration for {} ms", live.brokerAddr,
                    live.brokerName, live.clusterName, live.timeoutMs > 0 ? live.timeoutMs : brokerExpiryMs.getAsLong());
            if (live.connection != null) {
                live.connection.close();
            }
        }
    }
}

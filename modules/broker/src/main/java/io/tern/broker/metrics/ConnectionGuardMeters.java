package io.tern.broker.metrics;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.tern.remoting.security.ConnectionGuard;

/**
 * The remoting ports' limits in /metrics: {@code tern_remoting_refused_total{reason,server}} counts every connection
 * refused or closed by a limit and every request refused for too many in flight, one series per
 * {@link ConnectionGuard.Reason}; {@code tern_remoting_guarded_connections{server}} is what the guard holds open.
 * {@code server} is {@code broker}, or {@code nameserver} for the nameserver of a standalone node. Read at scrape
 * time from the guard's counters.
 */
public final class ConnectionGuardMeters {
    private ConnectionGuardMeters() {
    }

    public static final String BROKER = "broker";
    public static final String NAMESERVER = "nameserver";

    /** Binds {@code guard}'s counters under {@code server} ({@link #BROKER} or {@link #NAMESERVER}). */
    public static void bind(MeterRegistry registry, ConnectionGuard guard, String server) {
        for (ConnectionGuard.Reason reason : ConnectionGuard.Reason.values()) {
            FunctionCounter.builder("tern.remoting.refused", guard, g -> g.total(reason))
                    .tag("reason", reason.label())
                    .tag("server", server)
                    .description("Connections refused or closed, and requests refused, by the remoting limits and TLS")
                    .register(registry);
        }
        Gauge.builder("tern.remoting.guarded.connections", guard, ConnectionGuard::openConnections)
                .tag("server", server)
                .description("Open remoting connections counted against maxConnections")
                .register(registry);
    }
}

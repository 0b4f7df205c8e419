package io.tern.broker.metrics;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import io.micrometer.core.instrument.config.MeterFilter;
import io.tern.broker.BrokerConfig;
import io.vertx.core.Vertx;
import io.vertx.core.VertxBuilder;
import io.vertx.core.VertxOptions;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.spi.VertxMetricsFactory;
import io.vertx.core.spi.metrics.VertxMetrics;
import io.vertx.micrometer.Label;
import io.vertx.micrometer.MetricsDomain;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MicrometerMetricsOptions;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Vert.x's own meters (vertx-micrometer-metrics) for a Vert.x instance that Tern builds ({@link #builder}): worker
 * pools (the store writer's, flusher's, replication's, ...), event-bus traffic between the components, the HTTP
 * server's requests and the deployed verticles, shown on the {@code /metrics} of every broker running on it.
 *
 * <p>Vert.x takes its metrics when it is built, before the configuration is read and before any broker (and its
 * Prometheus registry) exists. So Vert.x records into a composite registry of its own, and a broker that serves
 * {@code /metrics} adds its registry to that composite ({@link #show}): every Vert.x meter then lives in the broker's
 * registry too, one scrape shows both, and two brokers on one Vert.x each show the meters they share.
 *
 * <p>Which categories are collected ({@link CategoryGate}): the event bus and Vert.x's default worker pools always
 * (they exist before any configuration; both are off the message path); named worker pools and HTTP servers while
 * {@code vertxMetricsEnabled}; TCP servers and clients (a meter call per buffer on the remoting ports) only with
 * {@code vertxMetricsNetEnabled}; datagram sockets and HTTP clients never. Labels stay bounded: pool type and name,
 * HTTP method and code, event-bus side and the address without its broker or nameserver instance
 * ({@link #eventBusAddress}).
 *
 * <p>Thread-safe.
 */
public final class VertxMeters implements VertxMetricsFactory {
    /** vertx-micrometer-metrics keeps its registries in a JVM-wide map by name: one name per Vert.x instance. */
    private static final AtomicLong INSTANCES = new AtomicLong();
    private static final String TERN_ADDRESS_PREFIX = "tern.";

    private final CompositeMeterRegistry registry = new CompositeMeterRegistry();
    private final MicrometerMetricsOptions options;
    private final VerticleGauges verticles = new VerticleGauges(registry);
    private volatile boolean enabled = true;
    private volatile boolean net;

    private VertxMeters() {
        registry.config().meterFilter(new MeterFilter() {
            @Override
            public Meter.Id map(Meter.Id id) {
                String address = id.getTag(Label.EB_ADDRESS.toString());
                return address == null ? id : id.withTag(Tag.of(Label.EB_ADDRESS.toString(), eventBusAddress(address)));
            }
        });
        options = new MicrometerMetricsOptions()
                .setEnabled(true)
                .setRegistryName("tern-vertx-" + INSTANCES.incrementAndGet())
                .addLabels(Label.EB_ADDRESS)
                .addDisabledMetricsCategory(MetricsDomain.DATAGRAM_SOCKET)
                .addDisabledMetricsCategory(MetricsDomain.HTTP_CLIENT);
    }

    /** A Vert.x builder with {@code options} whose Vert.x records its meters here. */
    public static VertxBuilder builder(VertxOptions options) {
        VertxMeters meters = new VertxMeters();
        options.setMetricsOptions(meters.options);
        return Vertx.builder().with(options).withMetrics(meters);
    }

    /** The meters of {@code vertx}, or null when Tern did not build it ({@link #builder}). */
    public static VertxMeters of(Vertx vertx) {
        return vertx instanceof VertxInternal internal && internal.metrics() instanceof CategoryGate gate
                ? gate.meters() : null;
    }

    @Override
    public VertxMetrics metrics(VertxOptions vertxOptions) {
        return new CategoryGate(this, new MicrometerMetricsFactory(registry).metrics(vertxOptions));
    }

    /**
     * Applies the broker's keys to the worker pools and servers {@code vertx} creates from now on (the store's pools,
     * the remoting and HTTP servers); nothing when Tern did not build {@code vertx}. With several brokers on one
     * Vert.x the last one configured decides.
     */
    public static void configure(Vertx vertx, BrokerConfig config) {
        VertxMeters meters = of(vertx);
        if (meters != null) {
            meters.enabled = config.vertxMetricsEnabled;
            meters.net = config.vertxMetricsEnabled && config.vertxMetricsNetEnabled;
        }
    }

    /** Adds Vert.x's meters to {@code metrics}' registry until {@link #hide}; nothing when switched off. */
    public void show(BrokerMetrics metrics) {
        if (enabled) {
            registry.add(metrics.registry());
            metrics.beforeScrape(verticles::refresh);
        }
    }

    /** Takes Vert.x's meters out of {@code brokerRegistry} again (the broker stops). */
    public void hide(MeterRegistry brokerRegistry) {
        registry.remove(brokerRegistry);
    }

    boolean enabled() {
        return enabled;
    }

    boolean net() {
        return net;
    }

    void vertxCreated(Vertx vertx) {
        verticles.bind(vertx);
    }

    /**
     * The label of an event-bus address: Tern's addresses {@code tern.<component>.<instance>.<name>} (instance: the
     * broker's {@code host:port}, the nameserver's port) lose their instance, e.g. {@code tern.broker.schedule.stored},
     * so the label has one value per documented address however many brokers run; other addresses stay as they are.
     */
    public static String eventBusAddress(String address) {
        if (!address.startsWith(TERN_ADDRESS_PREFIX)) {
            return address;
        }
        int componentEnd = address.indexOf('.', TERN_ADDRESS_PREFIX.length());
        if (componentEnd < 0) {
            return address;
        }
        int colon = address.lastIndexOf(':'); // a host:port instance; the names after it hold none
        int instanceEnd = address.indexOf('.', colon > componentEnd ? colon : componentEnd + 1);
        if (instanceEnd < 0 || (colon < componentEnd && !digits(address, componentEnd + 1, instanceEnd))) {
            return address;
        }
        return address.substring(0, componentEnd) + address.substring(instanceEnd);
    }

    private static boolean digits(String s, int from, int to) {
        for (int i = from; i < to; i++) {
            if (!Character.isDigit(s.charAt(i))) {
                return false;
            }
        }
        return to > from;
    }
}

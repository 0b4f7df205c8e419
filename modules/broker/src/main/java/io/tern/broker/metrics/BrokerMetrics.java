package io.tern.broker.metrics;

import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.tern.broker.BrokerStats;
import io.tern.broker.client.ConsumerRegistry;
import io.tern.broker.client.ProducerRegistry;
import io.tern.broker.config.ConsumerOffsetManager;
import io.tern.broker.config.TopicConfigManager;
import io.tern.broker.pull.PullHoldTable;
import io.tern.store.MessageStore;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The broker's own meter registry (one per broker, never a JVM-global one: two brokers in one JVM keep apart)
 * and what feeds it: {@link TrafficMeters} bumped by the processors, {@link BrokerGauges} read at scrape time,
 * and the JVM/process binders, bound only while the HTTP API serves {@code /metrics}.
 *
 * <p>Thread-safe. {@link #scrape} runs on the HTTP event loop; it only reads in-memory state and mapped pages.
 */
public final class BrokerMetrics {
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final TrafficMeters traffic = new TrafficMeters(registry);
    private final ConsumeRates consumeRates = new ConsumeRates(traffic);
    private final AtomicInteger connections = new AtomicInteger();
    private final MessageStore store;
    private final TopicConfigManager topics;
    private final ConsumerOffsetManager offsets;
    private final ConsumerRegistry consumers;
    private final ProducerRegistry producers;
    private final PullHoldTable holds;
    private final BrokerStats stats;
    private BrokerGauges gauges;
    private JvmGcMetrics gcMetrics;
    private VertxMeters vertxMeters;
    private final java.util.List<Runnable> scrapeHooks = new java.util.concurrent.CopyOnWriteArrayList<>();

    /** With the state the gauges read at scrape time. */
    public BrokerMetrics(MessageStore store, TopicConfigManager topics, ConsumerOffsetManager offsets,
                         ConsumerRegistry consumers, ProducerRegistry producers, PullHoldTable holds,
                         BrokerStats stats) {
        this.store = store;
        this.topics = topics;
        this.offsets = offsets;
        this.consumers = consumers;
        this.producers = producers;
        this.holds = holds;
        this.stats = stats;
    }

    public TrafficMeters traffic() {
        return traffic;
    }

    /** Per topic/group pull rates (GET_CONSUME_STATS consumeTps); sampled with the broker's statistics. */
    public ConsumeRates consumeRates() {
        return consumeRates;
    }

    public PrometheusMeterRegistry registry() {
        return registry;
    }

    public void connectionOpened() {
        connections.incrementAndGet();
    }

    public void connectionClosed() {
        connections.decrementAndGet();
    }

    /** Open remoting connections (clients, admin tools; the HTTP API's requests come over the event bus). */
    public int connections() {
        return connections.get();
    }

    /** Registers the broker and JVM gauges; called once when the HTTP API starts. */
    public synchronized void bindGauges() {
        if (gauges != null) {
            return;
        }
        gauges = new BrokerGauges(store, topics, offsets, consumers, producers, holds, stats, registry, connections);
        new JvmMemoryMetrics().bindTo(registry);
        gcMetrics = new JvmGcMetrics();
        gcMetrics.bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
    }

    /** Prometheus text format (0.0.4), after refreshing the gauges computed from offsets. */
    public String scrape() {
        BrokerGauges g;
        synchronized (this) {
            g = gauges;
        }
        if (g != null) {
            g.refresh();
        }
        scrapeHooks.forEach(Runnable::run);
        return registry.scrape();
    }

    /** Runs {@code hook} on the scraping thread before each scrape (gauges of other parts refresh snapshots). */
    public void beforeScrape(Runnable hook) {
        scrapeHooks.add(hook);
    }

    /** Adds the meters of the Vert.x this broker runs on ({@link VertxMeters}; null = none) until {@link #close}. */
    public synchronized void showVertxMeters(VertxMeters meters) {
        if (meters != null && vertxMeters == null) {
            vertxMeters = meters;
            meters.show(this);
        }
    }

    /** Unhooks the GC listeners and closes the registry. */
    public synchronized void close() {
        if (vertxMeters != null) {
            vertxMeters.hide(registry);
            vertxMeters = null;
        }
        if (gcMetrics != null) {
            gcMetrics.close();
            gcMetrics = null;
        }
        registry.close();
    }
}

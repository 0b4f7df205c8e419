package io.tern.broker.ha;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.tern.broker.metrics.BrokerMetrics;
import java.util.ArrayList;
import java.util.List;

/**
 * Replication in /metrics. Every role: {@code tern_replication_lag_bytes} (a master: the furthest-behind slave's
 * lag; a slave: the bytes it lacks). A master also: {@code tern_replication_slaves} (slaves streaming),
 * {@code tern_replication_lag_messages} (the furthest-behind slave's lag in messages) and, per connected slave
 * (label {@code slave} = its brokerId, a handful of series), {@code tern_replication_slave_acked_offset},
 * {@code tern_replication_slave_lag_bytes} and {@code tern_replication_slave_lag_messages}.
 *
 * <p>The per-slave figures are taken once per scrape ({@link BrokerMetrics#beforeScrape}, on the scraping
 * thread): counting messages reads consume-queue pages, so it is done once, not per gauge.
 */
public final class ReplicationGauges {
    private final Replication replication;
    private final MultiGauge ackedOffset;
    private final MultiGauge lagBytes;
    private final MultiGauge lagMessages;
    private volatile long maxLagMessages;

    private ReplicationGauges(MeterRegistry registry, Replication replication) {
        this.replication = replication;
        ackedOffset = MultiGauge.builder("tern.replication.slave.acked.offset")
                .description("Commit-log offset up to which a slave has written and dispatched the log")
                .register(registry);
        lagBytes = MultiGauge.builder("tern.replication.slave.lag").baseUnit("bytes")
                .description("Commit-log bytes a slave lacks").register(registry);
        lagMessages = MultiGauge.builder("tern.replication.slave.lag.messages")
                .description("Messages a slave lacks (consume-queue entries past its acked offset)")
                .register(registry);
        Gauge.builder("tern.replication.lag.messages", this, g -> g.maxLagMessages)
                .description("Messages the furthest-behind slave lacks").register(registry);
    }

    public static void bind(BrokerMetrics metrics, Replication replication) {
        MeterRegistry registry = metrics.registry();
        Gauge.builder("tern.replication.slaves", replication, r -> r.slaves().stream()
                        .filter(HaMaster.SlaveStatus::streaming).count())
                .description("Slaves streaming from this master").register(registry);
        Gauge.builder("tern.replication.lag", replication, ReplicationGauges::lagBytes)
                .description("Commit-log bytes the furthest-behind slave lacks (a slave: bytes it lacks)")
                .baseUnit("bytes").register(registry);
        if (replication.role().isMaster()) {
            metrics.beforeScrape(new ReplicationGauges(registry, replication)::refresh);
        }
    }

    private void refresh() {
        List<MultiGauge.Row<?>> acked = new ArrayList<>();
        List<MultiGauge.Row<?>> bytes = new ArrayList<>();
        List<MultiGauge.Row<?>> messages = new ArrayList<>();
        long worst = 0;
        for (HaMaster.SlaveStatus s : replication.slaves()) {
            if (s.brokerId() < 0) {
                continue; // connected, handshake not yet done
            }
            Tags tags = Tags.of("slave", Long.toString(s.brokerId()));
            long lag = replication.lagMessages(s);
            worst = Math.max(worst, lag);
            acked.add(MultiGauge.Row.of(tags, s.ackedOffset()));
            bytes.add(MultiGauge.Row.of(tags, s.lagBytes()));
            messages.add(MultiGauge.Row.of(tags, Math.max(0, lag)));
        }
        maxLagMessages = worst;
        ackedOffset.register(acked, true);
        lagBytes.register(bytes, true);
        lagMessages.register(messages, true);
    }

    private static double lagBytes(Replication r) {
        if (r.role().isMaster()) {
            return r.slaves().stream().mapToLong(HaMaster.SlaveStatus::lagBytes).max().orElse(0);
        }
        HaSlave s = r.slave();
        if (s == null || s.masterMaxOffset() < 0) {
            return Double.NaN;
        }
        return Math.max(0, s.masterMaxOffset() - s.maxOffset());
    }
}

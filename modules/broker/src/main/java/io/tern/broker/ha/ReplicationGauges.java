package io.tern.broker.ha;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * Replication in /metrics: connected slaves and the worst slave's lag (master), or the lag behind the master
 * (slave), in bytes. Evaluated at scrape time; no per-slave labels, so the series stay bounded.
 */
public final class ReplicationGauges {
    private ReplicationGauges() {
    }

    public static void bind(MeterRegistry registry, Replication replication) {
        Gauge.builder("tern.replication.slaves", replication, r -> r.slaves().stream()
                        .filter(HaMaster.SlaveStatus::streaming).count())
                .description("Slaves streaming from this master").register(registry);
        Gauge.builder("tern.replication.lag", replication, ReplicationGauges::lagBytes)
                .description("Commit-log bytes the furthest-behind slave lacks (a slave: bytes it lacks)")
                .baseUnit("bytes").register(registry);
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

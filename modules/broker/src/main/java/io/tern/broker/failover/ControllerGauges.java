package io.tern.broker.failover;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * Controller mode in /metrics: the master epoch this broker acts under, whether it acts as master, and whether its
 * lease lets it acknowledge sends. Evaluated at scrape time; registered only in controller mode.
 */
public final class ControllerGauges {
    private ControllerGauges() {
    }

    public static void bind(MeterRegistry registry, ControllerAgent agent) {
        Gauge.builder("tern.controller.epoch", agent, ControllerAgent::epoch)
                .description("Master epoch this broker acts under (0 = none yet)").register(registry);
        Gauge.builder("tern.controller.master", agent, a -> a.isMaster() ? 1 : 0)
                .description("1 while the controller has made this broker its group's master").register(registry);
        Gauge.builder("tern.controller.lease.valid", agent, a -> a.leaseValid() ? 1 : 0)
                .description("1 while this master's controller lease lets it acknowledge sends").register(registry);
    }
}

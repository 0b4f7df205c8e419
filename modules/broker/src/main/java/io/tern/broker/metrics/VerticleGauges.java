package io.tern.broker.metrics;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.vertx.core.Deployable;
import io.vertx.core.Vertx;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.internal.deployment.DeploymentContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code vertx_verticle_deployed{name}}: the verticle instances deployed on a Vert.x instance, by class (Vert.x 5's
 * metrics no longer count verticles). Counted at scrape time from the deployments; a class with none left drops out.
 *
 * <p>Thread-safe.
 */
final class VerticleGauges {
    private final MultiGauge deployed;
    private volatile VertxInternal vertx;

    VerticleGauges(MeterRegistry registry) {
        deployed = MultiGauge.builder("vertx.verticle.deployed")
                .description("Verticle instances deployed, by class")
                .register(registry);
    }

    void bind(Vertx vertx) {
        this.vertx = (VertxInternal) vertx;
    }

    /** Recounts the instances (runs on the scraping thread). */
    void refresh() {
        VertxInternal v = vertx;
        if (v == null) {
            return;
        }
        Map<String, Integer> byClass = new TreeMap<>();
        for (DeploymentContext context : v.deploymentManager().deployments()) {
            for (Deployable instance : context.deployment().instances()) {
                byClass.merge(instance.getClass().getSimpleName(), 1, Integer::sum);
            }
        }
        List<MultiGauge.Row<?>> rows = new ArrayList<>(byClass.size());
        byClass.forEach((name, count) -> rows.add(MultiGauge.Row.of(Tags.of("name", name), count)));
        deployed.register(rows, true);
    }
}

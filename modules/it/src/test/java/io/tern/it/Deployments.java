package io.tern.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.core.ThreadingModel;
import io.vertx.core.Vertx;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.internal.deployment.Deployment;
import io.vertx.core.internal.deployment.DeploymentContext;
import java.util.Comparator;
import java.util.List;

/** The verticles deployed on a Vert.x instance, as Vert.x's deployment manager knows them. */
final class Deployments {
    /** One deployment: its id, the verticle class, how many instances, their threading model, worker pool and its size. */
    record Deployed(String id, String verticle, int instances, ThreadingModel threadingModel, String workerPool,
                    int workerPoolSize) {
    }

    private Deployments() {
    }

    static List<Deployed> of(Vertx vertx) {
        return ((VertxInternal) vertx).deploymentManager().deployments().stream()
                .map(Deployments::describe)
                .sorted(Comparator.comparing(Deployed::verticle))
                .toList();
    }

    /** The id of the one deployment of {@code verticle}'s class. */
    static String idOf(Vertx vertx, Class<?> verticle) {
        List<String> ids = of(vertx).stream().filter(d -> d.verticle().equals(verticle.getName()))
                .map(Deployed::id).toList();
        assertEquals(1, ids.size(), "deployments of " + verticle.getSimpleName() + " in " + of(vertx));
        return ids.get(0);
    }

    private static Deployed describe(DeploymentContext context) {
        Deployment d = context.deployment();
        String identifier = d.identifier();
        String verticle = identifier.startsWith("java:") ? identifier.substring("java:".length()) : identifier;
        return new Deployed(context.id(), verticle, d.instances().size(), d.options().getThreadingModel(),
                d.options().getWorkerPoolName(), d.options().getWorkerPoolSize());
    }
}

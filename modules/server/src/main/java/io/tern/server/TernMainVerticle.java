package io.tern.server;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The main verticle the launcher ({@link TernApplication}) deploys: reads the role's configuration (vertx-config, see
 * {@link TernConfigLoader}), then starts the role's verticles as a {@link TernNode} — children of this deployment —
 * and logs the ready line scripts wait for.
 *
 * <p>The node stops in order when Vert.x closes (see {@link TernNode}); {@link #stop} stops it too when this verticle
 * alone is undeployed.
 */
final class TernMainVerticle extends VerticleBase {
    private static final Logger LOG = LoggerFactory.getLogger(TernMainVerticle.class);

    private final Role role;
    private final String configPath;
    private final Promise<TernNode> started = Promise.promise();

    /** @param configPath the {@code --config} file, or null for {@code conf/<role>.yaml} */
    TernMainVerticle(Role role, String configPath) {
        this.role = role;
        this.configPath = configPath;
    }

    @Override
    public Future<?> start() {
        return TernConfigLoader.load(vertx, role, configPath)
                .compose(loaded -> {
                    LOG.info("Tern {} starting, config {}: {}", role.id(), loaded.source(),
                            ConfigOverrides.withoutSecrets(loaded.config()).encode());
                    return TernNode.start(vertx, role, loaded.config());
                })
                .andThen(started)
                .onSuccess(node -> LOG.info(node.readyLine()));
    }

    @Override
    public Future<?> stop() {
        Future<TernNode> node = started.future();
        return node.succeeded() ? node.result().stop() : Future.succeededFuture();
    }

    /** Completes when the node is up (or failed to start): the launcher waits on it past its own deploy timeout. */
    Future<TernNode> started() {
        return started.future();
    }
}

package io.tern.server;

import io.tern.broker.metrics.VertxMeters;
import io.vertx.core.Deployable;
import io.vertx.core.Vertx;
import io.vertx.core.VertxBuilder;
import io.vertx.core.VertxOptions;
import io.vertx.launcher.application.ExitCodes;
import io.vertx.launcher.application.HookContext;
import io.vertx.launcher.application.VertxApplication;
import io.vertx.launcher.application.VertxApplicationHooks;
import io.vertx.launcher.application.impl.CommandException;
import io.vertx.launcher.application.impl.VertxApplicationCommand;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Vert.x's application launcher ({@link VertxApplication}) adapted to Tern; {@link TernMain} runs it. It creates
 * Vert.x (its options still come from {@code -Dvertx.options.*} system properties), deploys the main verticle
 * ({@link TernMainVerticle}: reads the config, deploys the role's verticles) and installs the JVM shutdown hook that
 * closes Vert.x on SIGTERM; closing Vert.x stops the roles gracefully and in order (see {@link TernNode}). Tern adapts
 * it through the launcher's hooks and by subclassing:
 * <ul>
 *   <li><b>Arguments.</b> The launcher's command line takes a verticle name and Vert.x flags; Tern's is a role and
 *       {@code --config}, parsed by {@link TernMain}. {@link #launch} therefore runs the launcher's start sequence
 *       ({@code VertxApplicationCommand}: options, Vert.x, deployment, shutdown hook, every hook below) as the
 *       launcher does for an empty command line, without its command-line front end: that front end is picocli,
 *       whose Java 5 class files the class-data-sharing archive cannot hold, and parsing nothing with it would cost
 *       every start about 150 ms of CPU (src-docs/performance-notes.md).</li>
 *   <li><b>Exit codes.</b> The launcher reports 11 or 15 when Vert.x or the verticle fails to start; Tern's contract
 *       is 1 for a failed start (and 2 for bad arguments, {@link TernMain}): {@link #run} maps them, and the launcher
 *       is told not to exit by itself.</li>
 *   <li><b>Start timeout.</b> The launcher gives a deployment two minutes; a store's recovery after a crash may take
 *       longer. When the launcher gives up waiting (its failure hook sees no cause) the deployment goes on, and
 *       {@link #run} keeps waiting for it up to {@link #START_TIMEOUT_MS} in all.</li>
 * </ul>
 */
public final class TernApplication extends VertxApplication implements VertxApplicationHooks {
    /** Store recovery after a crash may read a lot; a start that takes longer than this is reported as failed. */
    static final long START_TIMEOUT_MS = 600_000;

    private static final Logger LOG = LoggerFactory.getLogger(TernApplication.class);
    /** The launcher's own log, which its start sequence writes to. */
    private static final io.vertx.core.internal.logging.Logger VERTX_LOG =
            io.vertx.core.internal.logging.LoggerFactory.getLogger(VertxApplication.class);

    private final Role role;
    private final TernMainVerticle mainVerticle;
    private final long launchedAtMs = System.currentTimeMillis();
    private volatile Vertx vertx;
    private volatile boolean deployTimedOut;
    private volatile boolean started;

    /** @param configPath the {@code --config} file, or null for {@code conf/<role>.yaml} */
    TernApplication(Role role, String configPath) {
        super(new String[0], null, false, false);
        this.role = role;
        this.mainVerticle = new TernMainVerticle(role, configPath);
    }

    /**
     * The launcher's start sequence for an empty command line, without parsing one (see the class comment).
     * Returns 0 once the main verticle is deployed, else the launcher's exit code.
     */
    @Override
    public int launch() {
        try {
            new VertxApplicationCommand(this, this, VERTX_LOG).run();
            return 0;
        } catch (CommandException failed) {
            return failed.getCode();
        } catch (RuntimeException failed) {
            LOG.error("Tern {} failed to launch", role.id(), failed);
            return ExitCodes.SOFTWARE;
        }
    }

    /** Launches and returns Tern's exit code: 0 when the node is up, 1 when it failed to start. */
    int run() {
        int launched = launch();
        if (launched == ExitCodes.VERTX_DEPLOYMENT && deployTimedOut) {
            launched = awaitSlowStart();
        }
        if (launched != 0) {
            LOG.error("Tern {} failed to start", role.id());
            return 1;
        }
        started = true;
        return 0;
    }

    @Override
    public void afterVerticleDeployed(HookContext context) {
        started = true;
    }

    private int awaitSlowStart() {
        long remainingMs = START_TIMEOUT_MS - (System.currentTimeMillis() - launchedAtMs);
        LOG.warn("Tern {} is still starting; waiting up to {} ms more", role.id(), Math.max(0, remainingMs));
        try {
            mainVerticle.started().toCompletionStage().toCompletableFuture()
                    .get(Math.max(1, remainingMs), TimeUnit.MILLISECONDS);
            return 0;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return ExitCodes.SOFTWARE;
        } catch (ExecutionException | TimeoutException e) {
            return ExitCodes.VERTX_DEPLOYMENT;
        }
    }

    /** The Vert.x instance the launcher created (null before it did). */
    Vertx vertx() {
        return vertx;
    }

    /** The node once it is up (null before). */
    TernNode node() {
        return mainVerticle.started().result();
    }

    @Override
    public Supplier<? extends Deployable> verticleSupplier() {
        return () -> mainVerticle;
    }

    /** Vert.x records its own meters for the broker's /metrics ({@link VertxMeters}). */
    @Override
    public VertxBuilder createVertxBuilder(VertxOptions options) {
        return VertxMeters.builder(options);
    }

    @Override
    public void afterVertxStarted(HookContext context) {
        vertx = context.vertx();
    }

    @Override
    public void afterFailureToDeployVerticle(HookContext context, Throwable cause) {
        // the launcher passes no cause when it stopped waiting; the deployment itself goes on
        deployTimedOut = cause == null;
    }

    @Override
    public void beforeStoppingVertx(HookContext context) {
        if (started) {
            LOG.info("Tern {} stopping", role.id());
        }
    }

    @Override
    public void afterVertxStopped(HookContext context) {
        if (started) {
            LOG.info("Tern {} stopped", role.id());
        }
    }

    @Override
    public void afterFailureToStopVertx(HookContext context, Throwable cause) {
        LOG.error("Tern {} did not stop cleanly", role.id(), cause);
    }
}

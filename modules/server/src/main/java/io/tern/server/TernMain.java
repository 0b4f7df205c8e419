package io.tern.server;

import io.vertx.core.Deployable;
import io.vertx.core.Vertx;
import io.vertx.launcher.application.ExitCodes;
import io.vertx.launcher.application.HookContext;
import io.vertx.launcher.application.VertxApplication;
import io.vertx.launcher.application.VertxApplicationHooks;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Entry point of the fat jar: {@code java -jar tern-server-<v>-fat.jar standalone|nameserver|broker [--config path]}.
 *
 * <p>Vert.x's application launcher ({@link VertxApplication}) runs the process: it creates Vert.x (its options
 * still come from {@code -Dvertx.options.*} system properties), deploys the main verticle ({@link TernMainVerticle},
 * which reads the config and deploys the role's verticles) and installs the JVM shutdown hook that closes Vert.x on
 * SIGTERM; closing Vert.x stops the roles gracefully and in order (see {@link TernNode}). Tern adapts three things
 * through the launcher's hooks and its protected constructor:
 * <ul>
 *   <li><b>Arguments.</b> The launcher's own command line takes a verticle name and Vert.x flags; Tern's is a role
 *       and {@code --config}. They are parsed here, the launcher gets no arguments, and the main verticle comes from
 *       {@link #verticleSupplier()}.</li>
 *   <li><b>Exit codes.</b> The launcher exits with 11 or 15 when Vert.x or the verticle fails to start; Tern's
 *       contract is 1 for a failed start and 2 for bad arguments, so the launcher is told not to exit and
 *       {@link #main} maps its result.</li>
 *   <li><b>Start timeout.</b> The launcher gives a deployment two minutes; a store's recovery after a crash may take
 *       longer. When the launcher gives up waiting (its failure hook sees no cause) the deployment goes on, and
 *       {@link #main} keeps waiting for it up to {@link #START_TIMEOUT_MS} in all.</li>
 * </ul>
 */
public final class TernMain extends VertxApplication implements VertxApplicationHooks {
    /** Store recovery after a crash may read a lot; a start that takes longer than this is reported as failed. */
    static final long START_TIMEOUT_MS = 600_000;
    static final String USAGE =
            "usage: java -jar tern-server-fat.jar standalone|nameserver|broker [--config conf/<role>.yaml]";

    private static final Logger LOG = LoggerFactory.getLogger(TernMain.class);

    private final Role role;
    private final TernMainVerticle mainVerticle;
    private final long launchedAtMs = System.currentTimeMillis();
    private volatile Vertx vertx;
    private volatile boolean deployTimedOut;
    private volatile boolean started;

    /** @param configPath the {@code --config} file, or null for {@code conf/<role>.yaml} */
    TernMain(Role role, String configPath) {
        super(new String[0], null, false, false);
        this.role = role;
        this.mainVerticle = new TernMainVerticle(role, configPath);
    }

    public static void main(String[] args) {
        configureDefaultLogging();
        TernMain launcher;
        try {
            launcher = fromArguments(args);
        } catch (IllegalArgumentException badArgs) {
            System.err.println("error: " + badArgs.getMessage());
            System.err.println(USAGE);
            System.exit(2);
            return;
        }
        StartupWarmUp.startInBackground();
        int exitCode = launcher.run();
        if (exitCode != 0) {
            System.exit(exitCode);
        }
    }

    /** Parses {@code <role> [--config path]}; throws IllegalArgumentException with the reason otherwise. */
    static TernMain fromArguments(String[] args) {
        if (args.length < 1) {
            throw new IllegalArgumentException("missing role");
        }
        Role role = Role.parse(args[0]);
        String configPath = null;
        for (int i = 1; i < args.length; i++) {
            if (args[i].equals("--config") && i + 1 < args.length) {
                configPath = args[++i];
            } else {
                throw new IllegalArgumentException("unexpected argument '" + args[i] + "'");
            }
        }
        return new TernMain(role, configPath);
    }

    /** Launches and returns Tern's exit code: 0 when the node is up, 1 when it failed to start. */
    int run() {
        int launched = launch();
        if (launched == ExitCodes.VERTX_DEPLOYMENT && deployTimedOut) {
            launched = awaitSlowStart();
        }
        if (launched != 0) {
            LOG.error("Tern {} failed to start", role.id());
            return launched == ExitCodes.USAGE ? 2 : 1;
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

    /** slf4j-simple defaults for a server: info level, timestamps, thread names, to stdout; -D flags still win. */
    static void configureDefaultLogging() {
        setIfAbsent("org.slf4j.simpleLogger.logFile", "System.out");
        setIfAbsent("org.slf4j.simpleLogger.showDateTime", "true");
        setIfAbsent("org.slf4j.simpleLogger.dateTimeFormat", "yyyy-MM-dd'T'HH:mm:ss.SSS");
        setIfAbsent("org.slf4j.simpleLogger.defaultLogLevel", "info");
    }

    private static void setIfAbsent(String key, String value) {
        if (System.getProperty(key) == null) {
            System.setProperty(key, value);
        }
    }
}

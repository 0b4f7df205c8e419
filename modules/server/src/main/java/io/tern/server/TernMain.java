package io.tern.server;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Entry point of the fat jar: {@code java -jar tern-server-<v>-fat.jar standalone|nameserver|broker [--config path]}.
 *
 * <p>A plain {@code main} rather than Vert.x's {@code VertxApplication}: that launcher deploys one main verticle and
 * owns option parsing and shutdown, while Tern needs a role argument, vertx-config with env overrides, and an ordered
 * graceful stop (broker before nameserver, then Vert.x) from a JVM shutdown hook, so SIGTERM flushes the store and
 * persists consumer offsets. Exit code 1 when startup fails, 2 on bad arguments.
 */
public final class TernMain {
    /** How long the shutdown hook waits for the graceful stop before letting the JVM exit anyway. */
    static final long STOP_TIMEOUT_MS = 30_000;
    static final long CONFIG_TIMEOUT_MS = 30_000;
    /** Store recovery after a crash may read a lot; a start that takes longer than this is reported as failed. */
    static final long START_TIMEOUT_MS = 600_000;

    private TernMain() {
    }

    public static void main(String[] args) {
        configureDefaultLogging();
        Logger log = LoggerFactory.getLogger(TernMain.class);
        Role role;
        String configPath = null;
        try {
            if (args.length < 1) {
                throw new IllegalArgumentException("missing role");
            }
            role = Role.parse(args[0]);
            for (int i = 1; i < args.length; i++) {
                if (args[i].equals("--config") && i + 1 < args.length) {
                    configPath = args[++i];
                } else {
                    throw new IllegalArgumentException("unexpected argument '" + args[i] + "'");
                }
            }
        } catch (IllegalArgumentException badArgs) {
            System.err.println("error: " + badArgs.getMessage());
            System.err.println("usage: java -jar tern-server-fat.jar standalone|nameserver|broker [--config conf/<role>.yaml]");
            System.exit(2);
            return;
        }

        Vertx vertx = Vertx.vertx();
        TernNode node;
        try {
            TernConfigLoader.Loaded loaded = await(TernConfigLoader.load(vertx, role, configPath), CONFIG_TIMEOUT_MS);
            log.info("Tern {} starting, config {}: {}", role.id(), loaded.source(), loaded.config().encode());
            node = await(TernNode.start(vertx, role, loaded.config()), START_TIMEOUT_MS);
        } catch (Exception startFailure) {
            log.error("Tern {} failed to start", role.id(), startFailure);
            vertx.close();
            System.exit(1);
            return;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> stop(log, node, vertx), "tern-shutdown"));
        log.info(node.readyLine());
    }

    private static void stop(Logger log, TernNode node, Vertx vertx) {
        log.info("Tern {} stopping", node.role().id());
        try {
            await(node.stop().eventually(vertx::close), STOP_TIMEOUT_MS);
            log.info("Tern {} stopped", node.role().id());
        } catch (Exception e) {
            log.error("Tern {} did not stop within {} ms", node.role().id(), STOP_TIMEOUT_MS, e);
        }
    }

    /** Blocks the calling (non-Vert.x) thread on a Vert.x future. */
    private static <T> T await(Future<T> future, long timeoutMs) throws Exception {
        try {
            return future.toCompletionStage().toCompletableFuture().get(timeoutMs, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof Exception cause ? cause : e;
        }
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

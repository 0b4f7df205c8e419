package io.tern.server;

import io.tern.broker.Broker;
import io.tern.nameserver.NameServer;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A nameserver and a broker in the calling JVM, on ephemeral ports and a store root of your choice: for Tern's own
 * end-to-end tests and for applications' unit tests.
 *
 * <pre>{@code
 * try (EmbeddedTern tern = EmbeddedTern.start(tempDir)) {
 *     producer.setNamesrvAddr(tern.namesrvAddr());
 *     ...
 * }
 * }</pre>
 *
 * Defaults suited to tests (see {@link EmbeddedTernOptions}): ASYNC_FLUSH, auto-created topics, 64 MiB commit-log
 * segments without pre-touching, HTTP disabled. {@link #restart()} stops everything gracefully and starts it again
 * on the same ports and store root, so clients that cached the addresses reconnect by themselves.
 *
 * <p>Thread contract: the methods block the caller until the servers are up or down; call them from a test thread,
 * never from a Vert.x event loop. Not safe for concurrent use.
 */
public final class EmbeddedTern implements AutoCloseable {
    private final EmbeddedTernOptions options;
    private Vertx vertx;
    private TernNode node;
    private int nameServerPort;
    private int brokerPort;

    private EmbeddedTern(EmbeddedTernOptions options) {
        this.options = options;
    }

    /** Starts nameserver + broker with the test defaults, storing under {@code storeRoot}. */
    public static EmbeddedTern start(Path storeRoot) {
        return start(new EmbeddedTernOptions(storeRoot));
    }

    public static EmbeddedTern start(EmbeddedTernOptions options) {
        EmbeddedTern tern = new EmbeddedTern(options);
        tern.startNode(0, 0);
        return tern;
    }

    private void startNode(int nameServerPortToBind, int brokerPortToBind) {
        JsonObject config = options.toConfig(nameServerPortToBind, brokerPortToBind);
        vertx = Vertx.vertx();
        try {
            node = await(TernNode.start(vertx, Role.STANDALONE, config), "start");
        } catch (RuntimeException e) {
            await(vertx.close(), "close Vert.x after a failed start");
            vertx = null;
            throw e;
        }
        nameServerPort = node.nameServer().port();
        brokerPort = node.broker().port();
    }

    /** "127.0.0.1:port" of the nameserver: what clients take as {@code namesrvAddr}. */
    public String namesrvAddr() {
        return "127.0.0.1:" + nameServerPort;
    }

    /** The broker's advertised "ip:port" (as in routes and offset message ids). */
    public String brokerAddr() {
        return node.broker().address();
    }

    public String brokerName() {
        return node.brokerConfig().brokerName;
    }

    public String clusterName() {
        return node.brokerConfig().clusterName;
    }

    public Path storeRoot() {
        return options.storeRoot();
    }

    public Broker broker() {
        return node.broker();
    }

    public NameServer nameServer() {
        return node.nameServer();
    }

    public Vertx vertx() {
        return vertx;
    }

    /** Graceful stop of broker, nameserver and Vert.x, then a fresh start on the same ports and store root. */
    public void restart() {
        stopNode();
        startNode(nameServerPort, brokerPort);
    }

    /** Graceful stop. Safe to call twice. */
    @Override
    public void close() {
        stopNode();
    }

    private void stopNode() {
        if (vertx == null) {
            return;
        }
        try {
            await(node.stop(), "stop");
        } finally {
            await(vertx.close(), "close Vert.x");
            vertx = null;
            node = null;
        }
    }

    private <T> T await(Future<T> future, String what) {
        try {
            return future.toCompletionStage().toCompletableFuture().get(options.timeoutMs(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted during " + what, e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("embedded Tern failed to " + what + ": " + e.getCause(), e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("embedded Tern did not " + what + " within " + options.timeoutMs() + " ms", e);
        }
    }
}

package io.tern.server;

import io.tern.broker.Broker;
import io.tern.broker.BrokerConfig;
import io.tern.broker.metrics.VertxMeters;
import io.tern.nameserver.NameServer;
import io.tern.nameserver.NameServerConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A nameserver and one or more brokers in the calling JVM, on ephemeral ports and a store root of your choice: for
 * Tern's own end-to-end tests and for applications' unit tests.
 *
 * <pre>{@code
 * try (EmbeddedTern tern = EmbeddedTern.start(tempDir)) {
 *     producer.setNamesrvAddr(tern.namesrvAddr());
 *     ...
 * }
 * }</pre>
 *
 * Defaults suited to tests (see {@link EmbeddedTernOptions}): one broker, ASYNC_FLUSH, auto-created topics, 64 MiB
 * commit-log segments without pre-touching, HTTP disabled. {@link #restart()} stops everything gracefully and
 * starts it again on the same ports and store roots, so clients that cached the addresses reconnect by themselves;
 * {@link #stopBroker(int)} / {@link #startBroker(int)} do the same for one broker (failover tests).
 * With {@link EmbeddedTernOptions#slaves(int)} each group is a master and its slaves (one brokerName, brokerIds
 * 0, 1, ...), replicating over ephemeral HA ports that stay fixed across restarts; {@link #brokerIndex(int, long)}
 * finds one of them.
 *
 * <p>Thread contract: the methods block the caller until the servers are up or down; call them from a test thread,
 * never from a Vert.x event loop. Not safe for concurrent use.
 */
public final class EmbeddedTern implements AutoCloseable {
    private final EmbeddedTernOptions options;
    private final int[] brokerPorts;
    private final int[] haPorts;
    private final Broker[] brokers;
    private final BrokerConfig[] brokerConfigs;
    private Vertx vertx;
    private NameServer nameServer;
    private int nameServerPort;

    private EmbeddedTern(EmbeddedTernOptions options) {
        this.options = options;
        int count = options.brokerCount();
        this.brokerPorts = new int[count];
        this.haPorts = new int[count];
        this.brokers = new Broker[count];
        this.brokerConfigs = new BrokerConfig[count];
    }

    /** Starts a nameserver and one broker with the test defaults, storing under {@code storeRoot}. */
    public static EmbeddedTern start(Path storeRoot) {
        return start(new EmbeddedTernOptions(storeRoot));
    }

    public static EmbeddedTern start(EmbeddedTernOptions options) {
        EmbeddedTern tern = new EmbeddedTern(options);
        try {
            tern.startAll();
        } catch (RuntimeException e) {
            tern.close();
            throw e;
        }
        return tern;
    }

    private void startAll() {
        vertx = VertxMeters.builder(new VertxOptions()).build();
        nameServer = await(NameServer.start(vertx, NameServerConfig.fromJson(options.nameServerConfig(nameServerPort))),
                "start the nameserver");
        nameServerPort = nameServer.port();
        for (int i = 0; i < brokers.length; i++) {
            startBroker(i);
        }
    }

    /** Starts broker {@code index} (again), on its previous port once it had one. */
    public void startBroker(int index) {
        if (brokers[index] != null) {
            throw new IllegalStateException("broker " + index + " is running");
        }
        // port 0 the first time (a free port of its own, see ListenPort), the same port again after a restart; a
        // master's HA port too, so a slave finds its restarted master where it was
        BrokerConfig config = BrokerConfig.fromJson(options.brokerConfig(index, brokerPorts[index], haPorts[index],
                namesrvAddr()));
        brokers[index] = await(Broker.start(vertx, config), "start broker " + config.brokerName);
        brokerPorts[index] = brokers[index].port();
        haPorts[index] = brokers[index].components().address().haPort();
        brokerConfigs[index] = config;
    }

    /** Graceful stop of broker {@code index} (unregisters from the nameserver, flushes, persists offsets). */
    public void stopBroker(int index) {
        Broker broker = brokers[index];
        if (broker != null) {
            brokers[index] = null;
            await(broker.stop(), "stop broker " + brokerConfigs[index].brokerName);
        }
    }

    /** Index of the broker with {@code brokerId} (0 = master) in group {@code group} (0 = broker-a). */
    public int brokerIndex(int group, long brokerId) {
        int perGroup = brokers.length / options.groupCount();
        if (brokerId < 0 || brokerId >= perGroup) {
            throw new IllegalArgumentException("no broker " + brokerId + " in a group of " + perGroup);
        }
        return group * perGroup + (int) brokerId;
    }

    /** "127.0.0.1:port" of the nameserver: what clients take as {@code namesrvAddr}. */
    public String namesrvAddr() {
        return "127.0.0.1:" + nameServerPort;
    }

    /** The first broker's advertised "ip:port" (as in routes and offset message ids). */
    public String brokerAddr() {
        return brokerAddr(0);
    }

    public String brokerAddr(int index) {
        String ip = brokerConfigs[index] == null ? "127.0.0.1" : brokerConfigs[index].brokerIP1;
        return ip + ":" + brokerPorts[index];
    }

    public List<String> brokerAddrs() {
        List<String> addrs = new ArrayList<>();
        for (int i = 0; i < brokers.length; i++) {
            addrs.add(brokerAddr(i));
        }
        return addrs;
    }

    public String brokerName() {
        return brokerName(0);
    }

    /** The group name of broker {@code index}: broker-a, broker-b, ... unless the options named the first one. */
    public String brokerName(int index) {
        return options.brokerName(index);
    }

    public int brokerCount() {
        return brokers.length;
    }

    public String clusterName() {
        return brokerConfigs[0].clusterName;
    }

    public Path storeRoot() {
        return options.storeRoot();
    }

    /** The first broker, or null while it is stopped. */
    public Broker broker() {
        return brokers[0];
    }

    public Broker broker(int index) {
        return brokers[index];
    }

    public NameServer nameServer() {
        return nameServer;
    }

    public Vertx vertx() {
        return vertx;
    }

    /** Graceful stop of brokers, nameserver and Vert.x, then a fresh start on the same ports and store roots. */
    public void restart() {
        stopAll();
        startAll();
    }

    /** Graceful stop. Safe to call twice. */
    @Override
    public void close() {
        stopAll();
    }

    private void stopAll() {
        if (vertx == null) {
            return;
        }
        try {
            for (int i = brokers.length - 1; i >= 0; i--) {
                stopBroker(i);
            }
            if (nameServer != null) {
                await(nameServer.stop(), "stop the nameserver");
            }
        } finally {
            nameServer = null;
            await(vertx.close(), "close Vert.x");
            vertx = null;
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

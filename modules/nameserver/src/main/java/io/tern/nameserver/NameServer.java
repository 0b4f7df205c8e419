package io.tern.nameserver;

import io.tern.common.Json;
import io.tern.common.protocol.RegisterBrokerBody;
import io.tern.common.protocol.TopicConfig;
import io.tern.common.protocol.TopicRouteData;
import io.tern.nameserver.kv.KvConfigStore;
import io.tern.nameserver.route.BrokerExpiryScanner;
import io.tern.nameserver.route.RegisterBrokerBodyDecoder;
import io.tern.nameserver.route.RouteRegistry;
import io.tern.remoting.ConnectionListener;
import io.tern.remoting.ProcessorTable;
import io.tern.remoting.RemotingChannel;
import io.tern.remoting.RemotingServer;
import io.tern.remoting.protocol.RemotingCommand;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The nameserver role: a route registry served over the remoting protocol by one server verticle per event
 * loop, an expiry scanner, and the KV config store. Brokers register over TCP (also inside one JVM).
 *
 * <p>Thread contract: {@link #start} and {@link #stop} once each, from any thread.
 */
public final class NameServer {
    private static final Logger LOG = LoggerFactory.getLogger(NameServer.class);
    private static final AtomicLong NEXT_SHARED_RANDOM_PORT = new AtomicLong();

    private final RemotingServer server;
    private final BrokerExpiryScanner scanner;
    private final KvConfigStore kv;
    private final RouteRegistry registry;

    private NameServer(RemotingServer server, BrokerExpiryScanner scanner, KvConfigStore kv, RouteRegistry registry) {
        this.server = server;
        this.scanner = scanner;
        this.kv = kv;
        this.registry = registry;
    }

    public static Future<NameServer> start(Vertx vertx, NameServerConfig config) {
        RouteRegistry registry = new RouteRegistry();
        KvConfigStore kv = new KvConfigStore(vertx, Path.of(config.resolvedKvConfigPath()));
        ProcessorTable table = NameServerProcessors.build(registry, kv, config);
        ConnectionListener listener = connection -> connection.closeHandler(c -> onConnectionClosed(registry, c));

        return kv.load()
                .compose(v -> RemotingServer.deploy(vertx, config.host, bindPort(config.listenPort),
                        config.effectiveServerInstances(), table, listener))
                .map(server -> {
                    BrokerExpiryScanner scanner = new BrokerExpiryScanner(vertx, registry, config.scanIntervalMs,
                            () -> config.brokerExpiryMs);
                    scanner.start();
                    LOG.info("nameserver listening on {}:{}", config.host, server.port());
                    vertx.executeBlocking(NameServer::warmUp, false)
                            .onFailure(e -> LOG.debug("warm-up failed (harmless)", e));
                    return new NameServer(server, scanner, kv, registry);
                })
                .recover(failure -> kv.close().transform(ignored -> Future.failedFuture(failure)));
    }

    /**
     * The first registration body a nameserver decodes costs JSON class loading and introspection (a few hundred
     * ms of CPU, interpreted); pay it on a worker right after binding rather than in the first broker's
     * registration, which clients wait for.
     */
    private static Void warmUp() {
        RegisterBrokerBody body = new RegisterBrokerBody();
        TopicConfig topic = new TopicConfig();
        topic.topicName = "TernWarmUp";
        body.topicConfigSerializeWrapper.topicConfigTable.put(topic.topicName, topic);
        RegisterBrokerBodyDecoder.decode(Json.toBytes(body), false, RemotingCommand.SERVER_VERSION);
        Json.toBytes(new TopicRouteData());
        return null;
    }

    /**
     * Port 0 becomes a negative port unique to this nameserver: Vert.x gives every instance deployed with the
     * same negative port one shared random port, and a different negative value a different one. Port 0 itself
     * would map to the remoting default (-1) shared with every other ephemeral server on this Vert.x, so a
     * second nameserver (or a broker) in the same JVM would silently join this listener.
     */
    private static int bindPort(int listenPort) {
        return listenPort == 0 ? -(int) (NEXT_SHARED_RANDOM_PORT.incrementAndGet() % 1_000_000 + 1_000) : listenPort;
    }

    private static void onConnectionClosed(RouteRegistry registry, RemotingChannel connection) {
        List<String> removed = registry.onConnectionClosed(connection);
        if (!removed.isEmpty()) {
            LOG.info("connection {} closed: brokers {} removed", connection.remoteAddress(), removed);
        }
    }

    /** The actual listening port (the ephemeral one when the config said 0). */
    public int port() {
        return server.port();
    }

    /** The route tables; for in-JVM inspection (tests, metrics). */
    public RouteRegistry registry() {
        return registry;
    }

    public Future<Void> stop() {
        scanner.stop();
        return server.close().eventually(kv::close);
    }
}

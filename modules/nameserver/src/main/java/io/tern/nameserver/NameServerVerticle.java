package io.tern.nameserver;

import io.tern.common.Json;
import io.tern.common.protocol.RegisterBrokerBody;
import io.tern.common.protocol.TopicConfig;
import io.tern.common.protocol.TopicRouteData;
import io.tern.nameserver.acl.NameServerAccessTable;
import io.tern.nameserver.kv.KvConfigStore;
import io.tern.nameserver.route.BrokerExpiryScanner;
import io.tern.nameserver.route.RegisterBrokerBodyDecoder;
import io.tern.nameserver.route.RouteRegistry;
import io.tern.remoting.LocalChannel;
import io.tern.remoting.ProcessorTable;
import io.tern.remoting.RemotingChannel;
import io.tern.remoting.RemotingServer;
import io.tern.remoting.acl.AclFile;
import io.tern.remoting.bus.InProcessServers;
import io.tern.remoting.security.ConnectionGuard;
import io.tern.remoting.bus.RemotingOverBus;
import io.tern.remoting.protocol.RemotingCommand;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import java.nio.file.Path;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The nameserver role as a verticle: loads the KV config, deploys the remoting server verticles (one per event loop,
 * children of this deployment), answers the same requests over the event bus for brokers of this Vert.x instance
 * ({@link #busAddress}), and scans for expired brokers on this verticle's event loop.
 *
 * <p>Undeploying it stops the nameserver: Vert.x first undeploys the server verticles (the port closes), then
 * {@link #stop} ends the scan and closes the KV store.
 *
 * <p>Thread contract: {@link #port()} and {@link #registry()} may be read from any thread once deployed.
 */
public final class NameServerVerticle extends VerticleBase {
    private static final Logger LOG = LoggerFactory.getLogger(NameServerVerticle.class);

    private final NameServerConfig config;
    private final RouteRegistry registry = new RouteRegistry();
    private KvConfigStore kv;
    private BrokerExpiryScanner scanner;
    private RemotingOverBus bus;
    /** The watched ACL file; null when aclEnable is off. */
    private AclFile aclFile;
    private volatile int port = -1;
    /** Connection limits of the remoting port and their counters. */
    private final ConnectionGuard guard;

    public NameServerVerticle(NameServerConfig config) {
        this.config = config;
        this.guard = new ConnectionGuard(config.connectionLimits());
    }

    @Override
    public Future<?> start() {
        kv = new KvConfigStore(vertx, Path.of(config.resolvedKvConfigPath()));
        ProcessorTable table = NameServerProcessors.build(registry, kv, config);
        return kv.load()
                .compose(v -> guard(table))
                .compose(v -> RemotingServer.deploy(vertx, config.host, config.listenPort,
                        config.effectiveServerInstances(), table,
                        connection -> connection.closeHandler(this::onConnectionClosed), config.tlsSettings(),
                        guard))
                .onSuccess(server -> {
                    port = server.port();
                    serveOverBus(table);
                    scanner = new BrokerExpiryScanner(vertx, registry, config.scanIntervalMs,
                            () -> config.brokerExpiryMs);
                    scanner.start();
                    if (aclFile != null) {
                        aclFile.watch(vertx, config.aclReloadIntervalMs);
                    }
                    LOG.info("nameserver listening on {}:{}", config.host, port);
                    vertx.executeBlocking(NameServerVerticle::warmUp, false)
                            .onFailure(e -> LOG.debug("warm-up failed (harmless)", e));
                })
                .recover(failure -> kv.close().transform(ignored -> Future.failedFuture(failure)));
    }

    /**
     * Brokers of this Vert.x instance (a standalone node's) register over the event bus rather than TCP: requests
     * to {@link #busAddress} are processed by the same table, through a channel per broker that the registry ties
     * the broker's registration to, as it would a connection.
     */
    private void serveOverBus(ProcessorTable table) {
        bus = RemotingOverBus.serve(vertx, busAddress(port), peer -> {
            LocalChannel channel = new LocalChannel(vertx, context, table, LocalChannel.LOOPBACK);
            channel.closeHandler(this::onConnectionClosed);
            return channel;
        });
        InProcessServers.announce(vertx, port, busAddress(port));
    }

    /** With aclEnable, reads the ACL file (on a worker) and puts its check in front of every network request. */
    private Future<Void> guard(ProcessorTable table) {
        if (!config.aclEnable) {
            return Future.succeededFuture();
        }
        return vertx.executeBlocking(() -> AclFile.openBlocking(Path.of(config.aclFile),
                NameServerAccessTable.build()), false).map(file -> {
                    aclFile = file;
                    table.gate(file.gate());
                    return null;
                });
    }

    @Override
    public Future<?> stop() {
        if (aclFile != null) {
            aclFile.stop();
        }
        if (scanner != null) {
            scanner.stop();
        }
        InProcessServers.withdraw(vertx, port);
        return bus.close()
                .eventually(kv::close)
                .onComplete(ar -> LOG.info("nameserver on port {} stopped", port));
    }

    /** The event-bus address where the nameserver listening on {@code port} answers remoting requests. */
    public static String busAddress(int port) {
        return "tern.nameserver." + port + ".request";
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

    private void onConnectionClosed(RemotingChannel connection) {
        List<String> removed = registry.onConnectionClosed(connection);
        if (!removed.isEmpty()) {
            LOG.info("connection {} closed: brokers {} removed", connection.remoteAddress(), removed);
        }
    }

    /** The actual listening port (the ephemeral one when the config said 0); -1 before the start completed. */
    public int port() {
        return port;
    }

    /** The route tables; for in-JVM inspection (tests, metrics). */
    public RouteRegistry registry() {
        return registry;
    }

    /** The remoting port's connection limits and refusal counters (exported by a co-located broker's /metrics). */
    public ConnectionGuard connectionGuard() {
        return guard;
    }
}

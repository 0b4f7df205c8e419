package io.tern.server;

import io.tern.broker.Broker;
import io.tern.broker.BrokerConfig;
import io.tern.broker.StoreFactory;
import io.tern.broker.metrics.ConnectionGuardMeters;
import io.tern.broker.metrics.VertxMeters;
import io.tern.controller.Controller;
import io.tern.controller.ControllerConfig;
import io.tern.nameserver.NameServer;
import io.tern.nameserver.NameServerConfig;
import io.vertx.core.Closeable;
import io.vertx.core.Completable;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The roles of one process, started on one Vert.x instance: a nameserver, a broker, or both (standalone).
 *
 * <p>Standalone opens the broker's store while the nameserver starts, then points the broker at the nameserver
 * ({@code namesrvAddr = 127.0.0.1:<actual nameserver port>}) before it listens and registers, so ephemeral ports
 * work. {@link #stop()} stops in reverse order: the broker unregisters, flushes the store and persists offsets while
 * the nameserver is still up; then the nameserver stops.
 *
 * <p>Closing Vert.x stops the node in that same order: the node registers a Vert.x close hook, which Vert.x runs
 * before it undeploys anything. Without it, closing Vert.x would undeploy the roles' verticles all at once (Vert.x
 * undeploys sibling deployments in parallel, and a deployment's children before the deployment itself), and the
 * broker could not unregister from a nameserver that is already gone. This is what makes SIGTERM graceful under the
 * launcher ({@link TernApplication}), whose JVM shutdown hook closes Vert.x.
 *
 * <p>Thread contract: {@link #start} and {@link #stop} may be called from any non-event-loop or event-loop thread;
 * they only compose futures. {@code stop} may be called more than once; later calls return the first one's future.
 */
public final class TernNode {
    private static final Logger LOG = LoggerFactory.getLogger(TernNode.class);

    private final Vertx vertx;
    private final Role role;
    private final NameServer nameServer;
    private final Broker broker;
    /** A controller peer (role controller, or a nameserver with controllerEnabled); else null. */
    private volatile Controller controller;
    private final BrokerConfig brokerConfig;
    private final Closeable stopOnVertxClose = this::stopOnVertxClose;
    private Future<Void> stopped;

    private TernNode(Vertx vertx, Role role, NameServer nameServer, Broker broker, BrokerConfig brokerConfig) {
        this.vertx = vertx;
        this.role = role;
        this.nameServer = nameServer;
        this.broker = broker;
        this.brokerConfig = brokerConfig;
        ((VertxInternal) vertx).addCloseHook(stopOnVertxClose);
    }

    /**
     * Starts the role's servers from a config holding {@code nameserver} and {@code broker} sections (as produced
     * by {@link TernConfigLoader}). On failure, whatever already started is stopped again.
     */
    public static Future<TernNode> start(Vertx vertx, Role role, JsonObject config) {
        JsonObject nameServerSection = sectionOf(config, ConfigOverrides.NAMESERVER).copy();
        JsonObject brokerSection = sectionOf(config, ConfigOverrides.BROKER);
        JsonObject storeSection = brokerSection.getJsonObject("store");
        if (role == Role.STANDALONE && !nameServerSection.containsKey("kvConfigPath")
                && storeSection != null && storeSection.getString("storeRoot") != null) {
            // one directory holds all of a standalone node's state (and embedded instances never share ~/namesrv)
            nameServerSection.put("kvConfigPath",
                    Path.of(storeSection.getString("storeRoot"), "namesrv", "kvConfig.json").toString());
        }
        ControllerConfig controllerConfig = ControllerConfig.fromJson(nameServerSection);
        if (role == Role.CONTROLLER || (role.runsNameServer() && controllerConfig.controllerEnabled)) {
            return Controller.start(vertx, controllerConfig).compose(controller -> startRoles(vertx, role, config,
                            nameServerSection)
                    .map(node -> {
                        node.controller = controller;
                        return node;
                    })
                    .recover(e -> controller.stop().otherwiseEmpty().transform(ignored -> Future.failedFuture(e))));
        }
        return startRoles(vertx, role, config, nameServerSection);
    }

    private static Future<TernNode> startRoles(Vertx vertx, Role role, JsonObject config,
                                               JsonObject nameServerSection) {
        JsonObject brokerSection = sectionOf(config, ConfigOverrides.BROKER);
        BrokerConfig brokerConfig = role.runsBroker() ? BrokerConfig.fromJson(brokerSection) : null;
        if (brokerConfig != null) {
            // before any server exists: in standalone the nameserver's port follows the broker's keys too
            VertxMeters.configure(vertx, brokerConfig);
        }
        Future<NameServer> nameServerStarted = role.runsNameServer()
                ? NameServer.start(vertx, NameServerConfig.fromJson(nameServerSection))
                : Future.succeededFuture(null);
        if (!role.runsBroker()) {
            return nameServerStarted.map(nameServer -> new TernNode(vertx, role, nameServer, null, null));
        }
        // The store opens (recovery included) on a worker while the nameserver binds; the broker listens and
        // registers once the nameserver's actual port is known.
        Future<Broker> brokerOpened = Broker.open(vertx, brokerConfig, StoreFactory.DEFAULT);
        return Future.join(nameServerStarted, brokerOpened).transform(both -> {
            NameServer nameServer = nameServerStarted.result();
            Broker opened = brokerOpened.result();
            if (both.failed()) {
                return undo(nameServer, opened).transform(ignored -> Future.failedFuture(both.cause()));
            }
            if (nameServer != null) {
                brokerConfig.namesrvAddr = "127.0.0.1:" + nameServer.port();
            }
            if (nameServer != null) {
                // the nameserver has no HTTP server of its own: its refusals show in the co-located broker's /metrics
                ConnectionGuardMeters.bind(opened.components().metrics().registry(), nameServer.connectionGuard(),
                        ConnectionGuardMeters.NAMESERVER);
            }
            return opened.serve()
                    .map(broker -> new TernNode(vertx, role, nameServer, broker, brokerConfig))
                    .recover(failure -> undo(nameServer, null).transform(ignored -> Future.failedFuture(failure)));
        });
    }

    /** Stops what a failed start left running (a broker that failed to serve has stopped itself). */
    private static Future<Void> undo(NameServer nameServer, Broker opened) {
        Future<Void> brokerStopped = opened == null ? Future.succeededFuture() : opened.stop().otherwiseEmpty();
        return brokerStopped.compose(v -> nameServer == null ? Future.succeededFuture()
                : nameServer.stop().otherwiseEmpty());
    }

    private static JsonObject sectionOf(JsonObject config, String name) {
        JsonObject section = config.getJsonObject(name);
        return section == null ? new JsonObject() : section;
    }

    /** Stops the broker (graceful: unregister, flush, persist offsets), then the nameserver. Never fails. */
    public synchronized Future<Void> stop() {
        if (stopped == null) {
            ((VertxInternal) vertx).removeCloseHook(stopOnVertxClose);
            Future<Void> brokerStopped = broker == null ? Future.succeededFuture() : broker.stop()
                    .onFailure(e -> LOG.error("broker did not stop cleanly", e))
                    .otherwiseEmpty();
            Future<Void> nameServerStopped = brokerStopped.compose(ignored -> nameServer == null
                    ? Future.succeededFuture() : nameServer.stop()
                    .onFailure(e -> LOG.error("nameserver did not stop cleanly", e))
                    .otherwiseEmpty());
            stopped = nameServerStopped.compose(ignored -> controller == null ? Future.succeededFuture()
                    : controller.stop().onFailure(e -> LOG.error("controller did not stop cleanly", e))
                    .otherwiseEmpty());
        }
        return stopped;
    }

    private void stopOnVertxClose(Completable<Void> completion) {
        LOG.debug("Vert.x is closing: stopping the {} roles first", role.id());
        stop().onComplete(completion);
    }

    /** The one line scripts and tests wait for, e.g. "Tern standalone ready: nameserver 127.0.0.1:9876, broker ...". */
    public String readyLine() {
        StringBuilder line = new StringBuilder("Tern ").append(role.id()).append(" ready: ");
        if (nameServer != null) {
            line.append("nameserver ").append(nameServerAddress());
        }
        if (controller != null) {
            line.append(nameServer != null ? ", " : "").append("controller 127.0.0.1:").append(controller.port());
        }
        if (broker != null) {
            if (nameServer != null) {
                line.append(", ");
            }
            line.append("broker ").append(broker.address())
                    .append(" (").append(brokerConfig.brokerName).append(" in ").append(brokerConfig.clusterName)
                    .append(", http ").append(broker.httpPort() < 0 ? "off" : String.valueOf(broker.httpPort()))
                    .append(", namesrvAddr ").append(brokerConfig.namesrvAddr).append(')');
        }
        return line.toString();
    }

    public Role role() {
        return role;
    }

    /** The nameserver, or null when this node runs only a broker. */
    public NameServer nameServer() {
        return nameServer;
    }

    /** The controller peer, or null when this node runs none. */
    public Controller controller() {
        return controller;
    }

    /** The broker, or null when this node runs only a nameserver. */
    public Broker broker() {
        return broker;
    }

    public BrokerConfig brokerConfig() {
        return brokerConfig;
    }

    /** "127.0.0.1:port" — the nameserver listens on every interface by default, loopback included. */
    public String nameServerAddress() {
        return nameServer == null ? null : "127.0.0.1:" + nameServer.port();
    }
}

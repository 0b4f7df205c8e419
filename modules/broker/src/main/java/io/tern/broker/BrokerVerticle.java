package io.tern.broker;

import io.tern.broker.control.BrokerBus;
import io.tern.broker.control.SystemTopicArrivals;
import io.tern.broker.failover.ControllerAgent;
import io.tern.broker.failover.ControllerGauges;
import io.tern.broker.ha.MetadataSync;
import io.tern.broker.ha.Replication;
import io.tern.broker.ha.ReplicationGauges;
import io.tern.broker.http.HttpApi;
import io.tern.broker.metrics.ConnectionGuardMeters;
import io.tern.broker.namesrv.NameServerRegistrar;
import io.tern.broker.schedule.ScheduledDeliveryVerticle;
import io.tern.broker.schedule.TimerDeliveryVerticle;
import io.tern.broker.schedule.TimerPending;
import io.tern.broker.transaction.TransactionCheckVerticle;
import io.tern.remoting.LocalChannel;
import io.tern.remoting.RemotingConnection;
import io.tern.remoting.RemotingServer;
import io.tern.remoting.bus.LocalCodec;
import io.tern.remoting.security.ConnectionGuard;
import io.tern.remoting.bus.RemotingOverBus;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.ThreadingModel;
import io.vertx.core.VerticleBase;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A broker serving, as a verticle: what {@link Broker#serve} deploys once the broker is open. Its start, in order:
 * <ol>
 *   <li>the remoting server verticles on {@code listenPort} (and the VIP port {@code listenPort − 2}), and the
 *       broker's requests over the event bus ({@link BrokerBus#request}): the HTTP API's topic updates and sends
 *       reach the processors through an in-process channel, not a TCP connection to this broker;</li>
 *   <li>replication: a master listens for slaves on haListenPort, a slave connects to its master (a child
 *       {@link Replication} worker verticle, see src-docs/ha.md);</li>
 *   <li>registration with every nameserver (over the event bus with a co-located one, see
 *       {@link NameServerRegistrar});</li>
 *   <li>the HTTP API verticle;</li>
 *   <li>on a master, the {@link ScheduledDeliveryVerticle}, the {@link TransactionCheckVerticle} and the
 *       {@link TimerDeliveryVerticle}, told of stored delayed, half and timer messages by
 *       {@link SystemTopicArrivals};</li>
 *   <li>on a slave, {@link MetadataSync}: topics, groups and offsets copied from the master;</li>
 *   <li>in controller mode, the {@link ControllerAgent}: heartbeats to the controller leader and the role changes it
 *       decides (replication verticles, scheduler and checker, metadata sync; src-docs/ha.md "Controller");</li>
 *   <li>periodic tasks on this verticle's event loop: re-registration, offset persistence, stats, client expiry.</li>
 * </ol>
 * The servers, the HTTP API, the scheduler and the checker are child deployments. Undeploying this verticle stops the broker: Vert.x first undeploys
 * the children — the listeners close, the HTTP API stops, the scheduler and the checker finish the put in hand —
 * then {@link #stop} unregisters from the nameservers, persists configs and offsets and shuts the store down (the
 * reference broker too unregisters after closing its servers).
 *
 * <p>Thread contract: {@link #httpPort} from any thread; everything else runs on this verticle's event loop.
 */
final class BrokerVerticle extends VerticleBase {
    private static final Logger LOG = LoggerFactory.getLogger(BrokerVerticle.class);

    private final Broker broker;
    private final BrokerComponents parts;
    /** The HTTP API, metrics and console; null when httpPort is -1. */
    private volatile HttpApi http;
    /** Set once registering started: stop then unregisters instead of only closing the client. */
    private boolean registering;
    private RemotingOverBus requests;
    /** A slave's copy of its master's topics, groups and offsets; null on a master. */
    private MetadataSync metadataSync;
    private final List<Long> timers = new ArrayList<>();
    /** Connection limits over the main and the VIP port together. */
    private final ConnectionGuard guard;
    /** Deployments of the scheduler and the checker (a master's); undeployed when controller mode demotes it. */
    private final List<String> controlPlane = new ArrayList<>();
    private boolean arrivalsListening;

    BrokerVerticle(Broker broker) {
        this.broker = broker;
        this.parts = broker.parts;
        this.guard = new ConnectionGuard(parts.config().connectionLimits());
        ConnectionGuardMeters.bind(parts.metrics().registry(), guard, ConnectionGuardMeters.BROKER);
    }

    @Override
    public Future<?> start() {
        LocalCodec.registerOnce(vertx);
        BrokerConfig config = parts.config();
        NameServerRegistrar registrar = parts.registrar();
        int instances = config.remotingInstancesFor(Runtime.getRuntime().availableProcessors());
        Future<RemotingServer> listening = RemotingServer.deploy(vertx, config.host, config.listenPort, instances,
                broker.processors, this::onConnected, config.tlsSettings(), guard);
        // the VIP port binds alongside (its own deployment on its own event loops); registration waits for both
        Future<Void> fastListening = serveFastPort(instances);
        // A client's first connection costs class loading and resolver set-up (~45 ms of this event loop): connect
        // to the nameservers while the remoting port binds on the server's own event loop, so the registration right
        // after finds the connections open. Started after the deployment: the connection's set-up runs right here,
        // and started first it delayed the listening by as much (src-docs/performance-notes.md, change 21).
        Future<?> connected = Future.join(config.nameServerAddresses().stream()
                .filter(registrar::overTcp)
                .map(registrar.client()::connection).toList());
        return listening
                .compose(server -> {
                    parts.address().bind(server.port());
                    requests = RemotingOverBus.serve(vertx, BrokerBus.request(parts.address().hostPort()),
                            peer -> inProcessChannel());
                    return fastListening;
                })
                // a child deployment: undeployed (slaves disconnected, waiting puts answered) before the store stops
                .compose(v -> parts.replication().start(vertx, config.haPortToBind(parts.address().port()),
                        registrar::masterHaAddress))
                .compose(haPort -> {
                    parts.address().bindHa(haPort);
                    ReplicationGauges.bind(parts.metrics(), parts.replication());
                    if (broker.agent != null) {
                        ControllerGauges.bind(parts.metrics().registry(), broker.agent);
                    }
                    return connected.transform(ignored -> Future.<Void>succeededFuture());
                })
                .compose(v -> {
                    parts.topics().addChangeListener(registrar::requestRegistration);
                    registering = true;
                    return registrar.registerNow();
                })
                // Clients need the route, not the HTTP API: register first, then start HTTP, so its class loading
                // (~0.3 s of CPU) does not compete with the first registration.
                .compose(v -> config.httpPort < 0 ? Future.succeededFuture()
                        : HttpApi.start(vertx, parts).onSuccess(api -> http = api).mapEmpty())
                .compose(v -> config.brokerRole.isMaster() ? deployControlPlane() : Future.succeededFuture())
                .onSuccess(v -> {
                    if (!config.brokerRole.isMaster()) {
                        startMetadataSync();
                    }
                    if (broker.agent != null) {
                        broker.agent.start(vertx, roleHooks());
                    }
                    parts.stats().sample(System.currentTimeMillis());
                    schedulePeriodicTasks();
                    broker.acl.watch(vertx);
                    LOG.info("broker {} of cluster {} serving at {}", config.brokerName, config.clusterName,
                            parts.address());
                })
                // Vert.x undeploys the children that started (the VIP port's deployment is let finish first, so it
                // is one of them); the registration and the requests are ours to undo
                .recover(e -> fastListening.eventually(this::closeRequests).eventually(this::unregister)
                        .transform(ignored -> Future.failedFuture(e)));
    }

    /** Records a master's control-plane deployment (none when a part is switched off). */
    private void track(String deploymentId) {
        if (deploymentId != null) {
            controlPlane.add(deploymentId);
        }
    }

    private void startMetadataSync() {
        metadataSync = new MetadataSync(vertx, parts.registrar()::masterAddress, parts.topics(),
                parts.groups(), parts.offsets(), parts.schedule(), parts.config().clientTls(),
                broker.acl.credentials());
        metadataSync.start(parts.config().metadataSyncIntervalMs);
    }

    /** Controller mode: what starts and stops with the role the controller gives (on this verticle's loop). */
    private ControllerAgent.RoleHooks roleHooks() {
        return new ControllerAgent.RoleHooks() {
            @Override
            public void becameMaster() {
                if (metadataSync != null) {
                    metadataSync.stop();
                    metadataSync = null;
                }
                if (controlPlane.isEmpty()) {
                    deployControlPlane().onFailure(e -> LOG.error("scheduler and checker did not start", e));
                }
            }

            @Override
            public void becameSlave() {
                List<String> ids = new ArrayList<>(controlPlane);
                controlPlane.clear();
                ids.forEach(id -> vertx.undeploy(id).onFailure(e -> LOG.warn("undeploying {}: {}", id, e.toString())));
                if (metadataSync == null) {
                    startMetadataSync();
                }
            }
        };
    }

    @Override
    public Future<?> stop() {
        if (broker.agent != null) {
            broker.agent.stop();
        }
        timers.forEach(vertx::cancelTimer);
        broker.acl.stop();
        if (metadataSync != null) {
            metadataSync.stop();
        }
        return closeRequests().eventually(this::unregister).eventually(broker::shutdown);
    }

    private Future<Void> closeRequests() {
        return requests == null ? Future.succeededFuture() : requests.close();
    }

    private Future<Void> unregister() {
        return registering ? parts.registrar().unregister() : parts.registrar().close();
    }

    /** The reference's VIP port listenPort−2, only for a fixed port (spec 7.4); a busy port is not fatal. */
    private Future<Void> serveFastPort(int instances) {
        BrokerConfig config = parts.config();
        if (!broker.fastPortFree) {
            return Future.succeededFuture();
        }
        return RemotingServer.deploy(vertx, config.host, config.listenPort - 2, instances, broker.processors,
                        this::onConnected, config.tlsSettings(), guard)
                .onFailure(e -> LOG.warn("fast port {} not served: {}", config.listenPort - 2, e.toString()))
                .<Void>mapEmpty()
                .recover(e -> Future.succeededFuture());
    }

    private void onConnected(RemotingConnection connection) {
        parts.metrics().connectionOpened();
        connection.closeHandler(c -> parts.metrics().connectionClosed());
        broker.forgetOnClose(connection);
    }

    /** A channel into the processors on this event loop, for one in-process peer (the HTTP API). */
    private LocalChannel inProcessChannel() {
        LocalChannel channel = new LocalChannel(vertx, context, broker.processors, LocalChannel.LOOPBACK);
        broker.forgetOnClose(channel);
        return channel;
    }

    /**
     * A master's scheduled delivery and transaction checks: verticles told of stored delayed and half messages by
     * the store's arrivals of those system topics, over the broker's bus.
     */
    private Future<Void> deployControlPlane() {
        if (!arrivalsListening) {
            arrivalsListening = true;
            parts.store().addArrivalListener(new SystemTopicArrivals(vertx, parts.address().hostPort()));
        }
        return Future.all(
                        vertx.deployVerticle(new ScheduledDeliveryVerticle(parts.address(), parts.store(),
                                parts.schedule())).onSuccess(this::track),
                        deployTransactionChecker().onSuccess(this::track),
                        deployTimerDelivery().onSuccess(this::track),
                        vertx.deployVerticle(parts.pop().reviveVerticle()).onSuccess(this::track))
                .mapEmpty();
    }

    /** Timer messages (src-docs/timers.md): a worker verticle on a one-thread pool, as the timer files block. */
    private Future<String> deployTimerDelivery() {
        if (!parts.config().store.timerWheelEnable) {
            return Future.succeededFuture();
        }
        return vertx.deployVerticle(new TimerDeliveryVerticle(parts.address(), parts.store(), parts.config().store,
                new TimerPending(parts.metrics().registry())), new DeploymentOptions()
                .setThreadingModel(ThreadingModel.WORKER).setWorkerPoolName(TimerDeliveryVerticle.POOL)
                .setWorkerPoolSize(1));
    }

    /** Deploys a transaction checker as a child of this verticle; see {@link Broker#deployTransactionChecker}. */
    Future<String> deployTransactionChecker() {
        return Future.future(deployed -> context.runOnContext(v -> vertx.deployVerticle(new TransactionCheckVerticle(
                        parts.config(), parts.address(), parts.store(), parts.offsets(), parts.producers()))
                .onComplete(deployed)));
    }

    private void schedulePeriodicTasks() {
        BrokerConfig config = parts.config();
        timers.add(vertx.setPeriodic(Math.max(1000, config.registerNameServerPeriodMs),
                id -> parts.registrar().requestRegistration()));
        timers.add(vertx.setPeriodic(Math.max(100, config.persistConsumerOffsetIntervalMs), id -> {
            broker.persisters.offsets().requestPersist();
            broker.persisters.delayOffsets().requestPersist();
        }));
        timers.add(vertx.setPeriodic(BrokerStats.SAMPLE_INTERVAL_MS, id -> {
            parts.stats().sample(System.currentTimeMillis());
            parts.metrics().consumeRates().sample(System.currentTimeMillis());
        }));
        long scanMs = Math.max(100, Math.min(Broker.CLIENT_SCAN_INTERVAL_MS, config.clientChannelExpiryMs / 2));
        timers.add(vertx.setPeriodic(scanMs, id -> {
            long oldest = System.currentTimeMillis() - config.clientChannelExpiryMs;
            parts.consumers().removeExpired(oldest);
            parts.producers().removeExpired(oldest);
        }));
    }

    /** The actual HTTP port, or -1 when the HTTP API is disabled. */
    int httpPort() {
        HttpApi api = http;
        return api == null ? -1 : api.port();
    }
}

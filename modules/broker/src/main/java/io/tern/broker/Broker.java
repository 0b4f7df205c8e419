package io.tern.broker;

import io.tern.broker.client.ConsumerRegistry;
import io.tern.broker.client.ProducerRegistry;
import io.tern.broker.config.ConfigFile;
import io.tern.broker.config.ConfigPersister;
import io.tern.broker.config.ConsumerOffsetManager;
import io.tern.broker.config.SubscriptionGroupManager;
import io.tern.broker.config.TopicConfigManager;
import io.tern.broker.ha.MetadataSync;
import io.tern.broker.ha.Replication;
import io.tern.broker.ha.ReplicationGauges;
import io.tern.broker.http.HttpApi;
import io.tern.broker.metrics.BrokerMetrics;
import io.tern.broker.namesrv.NameServerRegistrar;
import io.tern.broker.pull.PullHoldTable;
import io.tern.broker.schedule.ScheduleMessageService;
import io.tern.broker.transaction.TransactionCheckService;
import io.tern.common.Json;
import io.tern.common.protocol.HeartbeatData;
import io.tern.common.protocol.RegisterBrokerBody;
import io.tern.remoting.LocalChannel;
import io.tern.remoting.ProcessorTable;
import io.tern.remoting.RemotingChannel;
import io.tern.remoting.RemotingClient;
import io.tern.remoting.RemotingConnection;
import io.tern.remoting.RemotingServer;
import io.tern.remoting.protocol.RemotingCommand;
import io.tern.remoting.protocol.RemotingCommandCodec;
import io.tern.store.MessageStore;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A broker: opens the store (off the event loop), loads the persisted topics, groups and offsets, serves the
 * remoting protocol on one verticle per core, registers with every nameserver and keeps doing so periodically.
 *
 * <p>Wiring is by constructor, in one visible order: {@link #openBlocking} builds every component
 * ({@link BrokerComponents}) and the request table ({@link BrokerProcessors}); {@link #serve} binds, records the
 * actual port in the {@link BrokerAddress}, registers, and starts the HTTP API, scheduled delivery and
 * transaction checks.
 *
 * <p>{@link #start} completes once the HTTP API listens and the first registration round finished (each nameserver answered, failed or
 * timed out after {@code registerTimeoutMs}). {@link #stop} unregisters, closes the servers, persists configs and
 * offsets and shuts the store down.
 */
public final class Broker {
    private static final Logger LOG = LoggerFactory.getLogger(Broker.class);
    static final long CLIENT_SCAN_INTERVAL_MS = 10_000;

    private final Vertx vertx;
    private final BrokerComponents parts;
    private final ProcessorTable processors;
    private final Persisters persisters;
    /** Whether the VIP port was free when the broker opened (probed off the event loop). */
    private final boolean fastPortFree;
    private final List<RemotingServer> servers = new ArrayList<>();
    private final List<Long> timers = new ArrayList<>();
    /** A slave's copy of its master's topics, groups and offsets; null on a master. */
    private volatile MetadataSync metadataSync;
    /** The HTTP API, metrics and console; null when httpPort is -1. */
    private volatile HttpApi http;
    /** Set once serve() starts registering: stop() then unregisters instead of only closing the client. */
    private volatile boolean registering;
    private volatile boolean stopped;

    /** The config files and their background writers. */
    record Persisters(ConfigPersister topics, ConfigPersister groups, ConfigPersister offsets,
                      ConfigPersister delayOffsets) {
    }

    private Broker(BrokerComponents parts, ProcessorTable processors, Persisters persisters, boolean fastPortFree) {
        this.vertx = parts.vertx();
        this.parts = parts;
        this.processors = processors;
        this.persisters = persisters;
        this.fastPortFree = fastPortFree;
    }

    public static Future<Broker> start(Vertx vertx, BrokerConfig config) {
        return start(vertx, config, StoreFactory.DEFAULT);
    }

    public static Future<Broker> start(Vertx vertx, BrokerConfig config, StoreFactory storeFactory) {
        return open(vertx, config, storeFactory).compose(Broker::serve);
    }

    /**
     * The first half of {@link #start}: opens the store (recovery included), config files, registries and
     * processors on a worker, without listening or registering yet. A launcher that also starts the nameserver
     * runs this alongside it, then sets {@code config.namesrvAddr} and calls {@link #serve()}; {@link #stop} undoes
     * an opened broker that never served. An opened broker already answers in-process calls
     * ({@link #localChannel()}).
     */
    public static Future<Broker> open(Vertx vertx, BrokerConfig config, StoreFactory storeFactory) {
        return vertx.executeBlocking(() -> openBlocking(vertx, config, storeFactory), false);
    }

    /** Blocking part of the start: every component, in the order each needs the previous ones. */
    private static Broker openBlocking(Vertx vertx, BrokerConfig config, StoreFactory storeFactory) throws Exception {
        long bootTimestampMs = System.currentTimeMillis();
        config.checkRole();
        BrokerAddress address = new BrokerAddress(config.brokerIP1);
        MessageStore localStore = storeFactory.create(config.store);
        localStore.start();
        Replication replication = Replication.of(config, localStore);
        MessageStore store = replication.wrap();
        Path configDir = Path.of(config.store.storeRoot, "config");
        TopicConfigManager topics = new TopicConfigManager(config);
        SubscriptionGroupManager groups = new SubscriptionGroupManager(config.autoCreateSubscriptionGroup);
        ConsumerOffsetManager offsets = new ConsumerOffsetManager();
        ScheduleMessageService schedule = new ScheduleMessageService(address, store);
        ConfigFile topicsFile = new ConfigFile(configDir, "topics.json");
        ConfigFile groupsFile = new ConfigFile(configDir, "subscriptionGroup.json");
        ConfigFile offsetsFile = new ConfigFile(configDir, "consumerOffset.json");
        ConfigFile delayOffsetsFile = new ConfigFile(configDir, "delayOffset.json");
        try {
            topics.load(topicsFile);
            groups.load(groupsFile);
            offsets.load(offsetsFile);
            schedule.load(delayOffsetsFile);
        } catch (Exception e) {
            store.shutdown();
            throw e;
        }
        PullHoldTable holds = new PullHoldTable(vertx);
        store.addArrivalListener(holds);
        ConsumerRegistry consumers = new ConsumerRegistry(config.notifyConsumerIdsChangedEnable);
        ProducerRegistry producers = new ProducerRegistry();
        BrokerStats stats = new BrokerStats();
        BrokerMetrics metrics = new BrokerMetrics(store, topics, offsets, consumers, producers, holds, stats);
        TransactionCheckService transactionChecks = new TransactionCheckService(config, address, store, offsets,
                producers);
        NameServerRegistrar registrar = new NameServerRegistrar(vertx, config, topics, address,
                new RemotingClient(vertx));
        BrokerComponents parts = new BrokerComponents(vertx, config, address, bootTimestampMs, store, topics, groups,
                offsets, consumers, producers, holds, stats, metrics, schedule, transactionChecks, registrar,
                replication);
        ProcessorTable processors = BrokerProcessors.build(parts);
        warmUp(topics);
        Persisters persisters = new Persisters(new ConfigPersister(vertx, topicsFile, topics::encode),
                new ConfigPersister(vertx, groupsFile, groups::encode),
                new ConfigPersister(vertx, offsetsFile, offsets::encode),
                new ConfigPersister(vertx, delayOffsetsFile, schedule::encode));
        topics.persister(persisters.topics);
        groups.persister(persisters.groups);
        boolean fastPortFree = config.fastListenPortEnable && config.listenPort > 2
                && isFree(config.host, config.listenPort - 2);
        return new Broker(parts, processors, persisters, fastPortFree);
    }

    /**
     * Vert.x shares a listening port between servers of one Vertx instance, so binding listenPort−2 while another
     * server of this JVM (a nameserver, a second broker) holds it would silently split its connections with us.
     * An OS-level probe tells a taken port apart.
     */
    private static boolean isFree(String host, int port) {
        try (ServerSocket probe = new ServerSocket()) {
            probe.bind(new InetSocketAddress(host, port));
            return true;
        } catch (IOException e) {
            LOG.warn("fast port {} is taken, not serving it: {}", port, e.toString());
            return false;
        }
    }

    /**
     * First use of the JSON mapper and the frame codec costs class loading and introspection (seconds on a loaded
     * machine); pay it here, on the worker, rather than on an event loop in the first requests.
     */
    private static void warmUp(TopicConfigManager topics) {
        RegisterBrokerBody body = new RegisterBrokerBody();
        body.topicConfigSerializeWrapper = topics.snapshot();
        Json.toBytes(body);
        Json.fromBytes(Json.toBytes(new HeartbeatData()), HeartbeatData.class);
        Buffer frame = RemotingCommandCodec.encode(RemotingCommand.request(0).put("k", "v"));
        RemotingCommandCodec.decode(frame.slice(4, frame.length()));
    }

    /** The second half of {@link #start}: listens, registers with the nameservers, starts the HTTP API. */
    public Future<Broker> serve() {
        BrokerConfig config = parts.config();
        NameServerRegistrar registrar = parts.registrar();
        int instances = config.remotingInstancesFor(Runtime.getRuntime().availableProcessors());
        // A client's first connection costs class loading and resolver set-up: connect to the nameservers while
        // the remoting port binds, so the registration right after finds the connections open.
        Future<?> connected = Future.join(config.nameServerAddresses().stream()
                .map(registrar.client()::connection).toList());
        return RemotingServer.deploy(vertx, config.host, config.listenPort, instances, processors, this::onConnected)
                .compose(server -> {
                    servers.add(server);
                    parts.address().bind(server.port());
                    return serveFastPort(instances);
                })
                .compose(v -> parts.replication().start(vertx, config.haPortToBind(parts.address().port()),
                        registrar::masterHaAddress))
                .compose(haPort -> {
                    parts.address().bindHa(haPort);
                    ReplicationGauges.bind(parts.metrics().registry(), parts.replication());
                    return Future.<Void>succeededFuture();
                })
                .compose(v -> connected.transform(ignored -> Future.<Void>succeededFuture()))
                .compose(v -> {
                    parts.topics().addChangeListener(registrar::requestRegistration);
                    registering = true;
                    return registrar.registerNow();
                })
                // Clients need the route, not the HTTP API: register first, then start HTTP, so its class loading
                // (~0.3 s of CPU) does not compete with the first registration.
                .compose(v -> config.httpPort < 0 ? Future.succeededFuture()
                        : HttpApi.start(vertx, parts).onSuccess(api -> http = api).mapEmpty())
                .map(v -> {
                    parts.stats().sample(System.currentTimeMillis());
                    if (config.brokerRole.isMaster()) {
                        parts.schedule().start(vertx);
                        parts.transactionChecks().start(vertx);
                    } else {
                        metadataSync = new MetadataSync(vertx, registrar::masterAddress, parts.topics(),
                                parts.groups(), parts.offsets(), parts.schedule());
                        metadataSync.start(config.metadataSyncIntervalMs);
                    }
                    schedulePeriodicTasks();
                    LOG.info("broker {} of cluster {} serving at {}", config.brokerName, config.clusterName,
                            parts.address());
                    return this;
                })
                .recover(e -> stop().transform(ar -> Future.failedFuture(e)));
    }

    /** The reference's VIP port listenPort−2, only for a fixed port (spec 7.4); a busy port is not fatal. */
    private Future<Void> serveFastPort(int instances) {
        BrokerConfig config = parts.config();
        if (!fastPortFree) {
            return Future.succeededFuture();
        }
        return RemotingServer.deploy(vertx, config.host, config.listenPort - 2, instances, processors,
                        this::onConnected)
                .onSuccess(servers::add)
                .onFailure(e -> LOG.warn("fast port {} not served: {}", config.listenPort - 2, e.toString()))
                .<Void>mapEmpty()
                .recover(e -> Future.succeededFuture());
    }

    private void onConnected(RemotingConnection connection) {
        parts.metrics().connectionOpened();
        connection.closeHandler(c -> parts.metrics().connectionClosed());
        forgetOnClose(connection);
    }

    /** A closed channel's clients and parked pulls leave the registries. */
    private void forgetOnClose(RemotingChannel channel) {
        channel.closeHandler(c -> {
            parts.consumers().onClose(c);
            parts.producers().onClose(c);
            parts.holds().onClose(c);
        });
    }

    /**
     * A channel into this broker's processors with no socket (requests run exactly as over TCP, see
     * {@link LocalChannel}); closing it drops what it registered, like a closed connection. Usable once opened.
     */
    public LocalChannel localChannel() {
        LocalChannel channel = new LocalChannel(vertx, processors);
        forgetOnClose(channel);
        return channel;
    }

    private void schedulePeriodicTasks() {
        BrokerConfig config = parts.config();
        timers.add(vertx.setPeriodic(Math.max(1000, config.registerNameServerPeriodMs),
                id -> parts.registrar().requestRegistration()));
        timers.add(vertx.setPeriodic(Math.max(100, config.persistConsumerOffsetIntervalMs),
                id -> {
                    persisters.offsets.requestPersist();
                    persisters.delayOffsets.requestPersist();
                }));
        timers.add(vertx.setPeriodic(BrokerStats.SAMPLE_INTERVAL_MS,
                id -> parts.stats().sample(System.currentTimeMillis())));
        long scanMs = Math.max(100, Math.min(CLIENT_SCAN_INTERVAL_MS, config.clientChannelExpiryMs / 2));
        timers.add(vertx.setPeriodic(scanMs, id -> {
            long oldest = System.currentTimeMillis() - config.clientChannelExpiryMs;
            parts.consumers().removeExpired(oldest);
            parts.producers().removeExpired(oldest);
        }));
    }

    /** The actual remoting port; 0 until {@link #serve} bound it. */
    public int port() {
        return parts.address().port();
    }

    /** The actual HTTP port, or -1 when the HTTP API is disabled. */
    public int httpPort() {
        HttpApi api = http;
        return api == null ? -1 : api.port();
    }

    /** "brokerIP1:port", the address registered at the nameservers; null until bound. */
    public String address() {
        return parts.address().hostPort();
    }

    /** The broker's components, for in-JVM inspection (tests, embedding). */
    public BrokerComponents components() {
        return parts;
    }

    public synchronized Future<Void> stop() {
        if (stopped) {
            return Future.succeededFuture();
        }
        stopped = true;
        timers.forEach(vertx::cancelTimer);
        parts.schedule().stop(vertx);
        parts.transactionChecks().stop(vertx);
        MetadataSync sync = metadataSync;
        if (sync != null) {
            sync.stop();
        }
        Future<Void> unregistered = registering ? parts.registrar().unregister() : parts.registrar().close();
        return unregistered
                .eventually(() -> http == null ? Future.succeededFuture() : http.stop())
                .eventually(() -> Future.join(servers.stream().map(RemotingServer::close).toList()))
                .eventually(() -> parts.replication().stop(vertx))
                .eventually(() -> vertx.executeBlocking(() -> {
                    shutdownBlocking();
                    return null;
                }, false))
                .mapEmpty();
    }

    private void shutdownBlocking() {
        try {
            persisters.topics.persistBlocking();
            persisters.groups.persistBlocking();
            persisters.offsets.persistBlocking();
            persisters.delayOffsets.persistBlocking();
        } catch (Exception e) {
            LOG.error("persisting configs at shutdown failed", e);
        }
        parts.store().shutdown();
        parts.metrics().close();
        LOG.info("broker {} stopped", parts.config().brokerName);
    }
}

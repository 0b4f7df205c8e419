package io.tern.broker;

import io.tern.broker.client.ConsumerRegistry;
import io.tern.broker.client.ProducerRegistry;
import io.tern.broker.config.ConfigFile;
import io.tern.broker.config.ConfigPersister;
import io.tern.broker.config.ConsumerOffsetManager;
import io.tern.broker.config.SubscriptionGroupManager;
import io.tern.broker.config.TopicConfigManager;
import io.tern.broker.http.HttpApi;
import io.tern.broker.namesrv.NameServerRegistrar;
import io.tern.broker.pull.PullHoldTable;
import io.tern.broker.schedule.ScheduleMessageService;
import io.tern.broker.transaction.TransactionCheckService;
import io.tern.common.Json;
import io.tern.common.protocol.HeartbeatData;
import io.tern.common.protocol.RegisterBrokerBody;
import io.tern.remoting.ProcessorTable;
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
import java.net.InetAddress;
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
 * <p>{@link #start} completes once the HTTP API listens and the first registration round finished (each nameserver answered, failed or
 * timed out after {@code registerTimeoutMs}). {@link #stop} unregisters, closes the servers, persists configs and
 * offsets and shuts the store down.
 */
public final class Broker {
    private static final Logger LOG = LoggerFactory.getLogger(Broker.class);
    static final long CLIENT_SCAN_INTERVAL_MS = 10_000;

    private final Vertx vertx;
    private final BrokerServices services;
    private final Persisters persisters;
    private final List<RemotingServer> servers = new ArrayList<>();
    private final List<Long> timers = new ArrayList<>();
    private NameServerRegistrar registrar;
    /** The HTTP API, metrics and console; null when httpPort is -1. */
    private volatile HttpApi http;
    /** Whether the VIP port was free when the broker opened (probed off the event loop). */
    private boolean fastPortFree;
    private volatile boolean stopped;

    /** The config files and their background writers. */
    record Persisters(ConfigPersister topics, ConfigPersister groups, ConfigPersister offsets,
                      ConfigPersister delayOffsets) {
    }

    private Broker(Vertx vertx, BrokerServices services, Persisters persisters) {
        this.vertx = vertx;
        this.services = services;
        this.persisters = persisters;
    }

    public static Future<Broker> start(Vertx vertx, BrokerConfig config) {
        return start(vertx, config, StoreFactory.DEFAULT);
    }

    public static Future<Broker> start(Vertx vertx, BrokerConfig config, StoreFactory storeFactory) {
        return open(vertx, config, storeFactory).compose(Broker::serve);
    }

    /**
     * The first half of {@link #start}: opens the store (recovery included), config files and registries on a
     * worker, without listening or registering yet. A launcher that also starts the nameserver runs this
     * alongside it, then sets {@code config.namesrvAddr} and calls {@link #serve()}; {@link #stop} undoes an
     * opened broker that never served.
     */
    public static Future<Broker> open(Vertx vertx, BrokerConfig config, StoreFactory storeFactory) {
        return vertx.executeBlocking(() -> openBlocking(vertx, config, storeFactory), false);
    }

    /** Blocking part of the start: store, config files, registries. */
    private static Broker openBlocking(Vertx vertx, BrokerConfig config, StoreFactory storeFactory) throws Exception {
        byte[] storeHost = InetAddress.getByName(config.brokerIP1).getAddress();
        MessageStore store = storeFactory.create(vertx, config.store);
        store.start();
        Path configDir = Path.of(config.store.storeRoot, "config");
        TopicConfigManager topics = new TopicConfigManager(config);
        SubscriptionGroupManager groups = new SubscriptionGroupManager(config.autoCreateSubscriptionGroup);
        ConsumerOffsetManager offsets = new ConsumerOffsetManager();
        ConfigFile topicsFile = new ConfigFile(configDir, "topics.json");
        ConfigFile groupsFile = new ConfigFile(configDir, "subscriptionGroup.json");
        ConfigFile offsetsFile = new ConfigFile(configDir, "consumerOffset.json");
        ConfigFile delayOffsetsFile = new ConfigFile(configDir, "delayOffset.json");
        try {
            topics.load(topicsFile);
            groups.load(groupsFile);
            offsets.load(offsetsFile);
        } catch (Exception e) {
            store.shutdown();
            throw e;
        }
        PullHoldTable holds = new PullHoldTable(vertx);
        store.addArrivalListener(holds);
        BrokerServices services = new BrokerServices(vertx, config, store, topics, groups, offsets,
                new ConsumerRegistry(config.notifyConsumerIdsChangedEnable), new ProducerRegistry(), holds, storeHost);
        ScheduleMessageService schedule = new ScheduleMessageService(services);
        try {
            schedule.load(delayOffsetsFile);
        } catch (Exception e) {
            store.shutdown();
            throw e;
        }
        services.schedule = schedule;
        warmUp(topics);
        services.transactionChecks = new TransactionCheckService(services);
        Persisters persisters = new Persisters(new ConfigPersister(vertx, topicsFile, topics::encode),
                new ConfigPersister(vertx, groupsFile, groups::encode),
                new ConfigPersister(vertx, offsetsFile, offsets::encode),
                new ConfigPersister(vertx, delayOffsetsFile, schedule::encode));
        topics.persister(persisters.topics);
        groups.persister(persisters.groups);
        Broker broker = new Broker(vertx, services, persisters);
        broker.fastPortFree = config.fastListenPortEnable && config.listenPort > 2
                && isFree(config.host, config.listenPort - 2);
        return broker;
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
        BrokerConfig config = services.config;
        ProcessorTable table = BrokerProcessors.build(services);
        int instances = config.remotingInstancesFor(Runtime.getRuntime().availableProcessors());
        // A client's first connection costs class loading and resolver set-up: connect to the nameservers while
        // the remoting port binds, so the registration right after finds the connections open.
        RemotingClient nameServers = new RemotingClient(vertx);
        Future<?> connected = Future.join(config.nameServerAddresses().stream()
                .map(nameServers::connection).toList());
        return RemotingServer.deploy(vertx, config.host, config.listenPort, instances, table, this::onConnected)
                .compose(server -> {
                    servers.add(server);
                    services.bound(server.port());
                    return serveFastPort(table, instances);
                })
                .compose(v -> connected.transform(ignored -> Future.<Void>succeededFuture()))
                .compose(v -> {
                    registrar = new NameServerRegistrar(vertx, config, services.topics, services.brokerAddr,
                            services.storeHostPort + 1, nameServers);
                    services.topics.addChangeListener(registrar::requestRegistration);
                    services.registrar = registrar;
                    return registrar.registerNow();
                })
                // Clients need the route, not the HTTP API: register first, then start HTTP, so its class loading
                // (~0.3 s of CPU) does not compete with the first registration.
                .compose(v -> config.httpPort < 0 ? Future.succeededFuture()
                        : HttpApi.start(vertx, services).onSuccess(api -> http = api).mapEmpty())
                .map(v -> {
                    services.stats.sample(System.currentTimeMillis());
                    if (config.brokerId == 0) {
                        services.schedule.start(vertx);
                        services.transactionChecks.start(vertx);
                    }
                    schedulePeriodicTasks();
                    LOG.info("broker {} of cluster {} serving at {}", config.brokerName, config.clusterName,
                            services.brokerAddr);
                    return this;
                })
                .recover(e -> {
                    if (registrar == null) {
                        nameServers.close();
                    }
                    return stop().transform(ar -> Future.failedFuture(e));
                });
    }

    /** The reference's VIP port listenPort−2, only for a fixed port (spec 7.4); a busy port is not fatal. */
    private Future<Void> serveFastPort(ProcessorTable table, int instances) {
        BrokerConfig config = services.config;
        if (!fastPortFree) {
            return Future.succeededFuture();
        }
        return RemotingServer.deploy(vertx, config.host, config.listenPort - 2, instances, table, this::onConnected)
                .onSuccess(servers::add)
                .onFailure(e -> LOG.warn("fast port {} not served: {}", config.listenPort - 2, e.toString()))
                .<Void>mapEmpty()
                .recover(e -> Future.succeededFuture());
    }

    private void onConnected(RemotingConnection connection) {
        services.metrics.connectionOpened();
        connection.closeHandler(c -> {
            services.metrics.connectionClosed();
            services.consumers.onClose(c);
            services.producers.onClose(c);
            services.holds.onClose(c);
        });
    }

    private void schedulePeriodicTasks() {
        BrokerConfig config = services.config;
        timers.add(vertx.setPeriodic(Math.max(1000, config.registerNameServerPeriodMs),
                id -> registrar.requestRegistration()));
        timers.add(vertx.setPeriodic(Math.max(100, config.persistConsumerOffsetIntervalMs),
                id -> {
                    persisters.offsets.requestPersist();
                    persisters.delayOffsets.requestPersist();
                }));
        timers.add(vertx.setPeriodic(BrokerStats.SAMPLE_INTERVAL_MS, id -> services.stats.sample(System.currentTimeMillis())));
        long scanMs = Math.max(100, Math.min(CLIENT_SCAN_INTERVAL_MS, config.clientChannelExpiryMs / 2));
        timers.add(vertx.setPeriodic(scanMs, id -> {
            long oldest = System.currentTimeMillis() - config.clientChannelExpiryMs;
            services.consumers.removeExpired(oldest);
            services.producers.removeExpired(oldest);
        }));
    }

    public int port() {
        return services.storeHostPort;
    }

    /** The actual HTTP port, or -1 when the HTTP API is disabled. */
    public int httpPort() {
        HttpApi api = http;
        return api == null ? -1 : api.port();
    }

    /** "brokerIP1:port", the address registered at the nameservers. */
    public String address() {
        return services.brokerAddr;
    }

    public BrokerServices services() {
        return services;
    }

    public synchronized Future<Void> stop() {
        if (stopped) {
            return Future.succeededFuture();
        }
        stopped = true;
        timers.forEach(vertx::cancelTimer);
        services.schedule.stop(vertx);
        services.transactionChecks.stop(vertx);
        Future<Void> unregistered = registrar == null ? Future.succeededFuture() : registrar.unregister();
        return unregistered
                .eventually(() -> http == null ? Future.succeededFuture() : http.stop())
                .eventually(() -> Future.join(servers.stream().map(RemotingServer::close).toList()))
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
        services.store.shutdown();
        services.metrics.close();
        LOG.info("broker {} stopped", services.config.brokerName);
    }
}

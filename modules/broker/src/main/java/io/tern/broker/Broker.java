package io.tern.broker;

import io.tern.broker.acl.BrokerAcl;
import io.tern.broker.client.ConsumerRegistry;
import io.tern.broker.client.ProducerRegistry;
import io.tern.broker.config.ConfigFile;
import io.tern.broker.config.ConfigPersister;
import io.tern.broker.config.ConsumerOffsetManager;
import io.tern.broker.config.SubscriptionGroupManager;
import io.tern.broker.config.TopicConfigManager;
import io.tern.broker.failover.ControllerAgent;
import io.tern.broker.ha.Replication;
import io.tern.broker.metrics.BrokerMetrics;
import io.tern.broker.metrics.VertxMeters;
import io.tern.broker.namesrv.NameServerRegistrar;
import io.tern.broker.pop.PopConsumption;
import io.tern.broker.pull.PullHoldTable;
import io.tern.broker.schedule.DelayLevelOffsets;
import io.tern.common.Json;
import io.tern.common.protocol.HeartbeatData;
import io.tern.common.protocol.RegisterBrokerBody;
import io.tern.remoting.LocalChannel;
import io.tern.remoting.ProcessorTable;
import io.tern.remoting.RemotingChannel;
import io.tern.remoting.RemotingClient;
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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A broker: opens the store (off the event loop), loads the persisted topics, groups and offsets, then serves as a
 * {@link BrokerVerticle} — the remoting protocol on one server verticle per core, registration with every nameserver,
 * the HTTP API, scheduled delivery and transaction checks.
 *
 * <p>Wiring is by constructor, in one visible order: {@link #openBlocking} builds every component
 * ({@link BrokerComponents}) and the request table ({@link BrokerProcessors}); {@link #serve} deploys the verticle,
 * which binds, records the actual port in the {@link BrokerAddress}, registers, and deploys the rest.
 *
 * <p>{@link #start} completes once the HTTP API listens and the first registration round finished (each nameserver
 * answered, failed or timed out after {@code registerTimeoutMs}). {@link #stop} undeploys the verticle: the servers
 * close, the broker unregisters, persists configs and offsets and shuts the store down.
 *
 * <p>The store opens on the caller's context, so its worker verticles are not the broker verticle's children: they
 * outlive the broker verticle's own children and stop when {@link #shutdown} shuts the store down.
 */
public final class Broker {
    private static final Logger LOG = LoggerFactory.getLogger(Broker.class);
    static final long CLIENT_SCAN_INTERVAL_MS = 10_000;

    private final Vertx vertx;
    final BrokerComponents parts;
    final ProcessorTable processors;
    final Persisters persisters;
    /** The ACL check of served requests and the signature of the broker's own. */
    final BrokerAcl acl;
    /** Whether the VIP port was free when the broker opened (probed off the event loop). */
    final boolean fastPortFree;
    /** Controller mode's heartbeat and role changes; null otherwise. */
    final ControllerAgent agent;
    /** The serving verticle and its deployment; null until {@link #serve} deployed it. */
    private volatile BrokerVerticle verticle;
    private volatile String deploymentId;
    private boolean stopped;

    /** The config files and their background writers. */
    record Persisters(ConfigPersister topics, ConfigPersister groups, ConfigPersister offsets,
                      ConfigPersister delayOffsets) {
    }

    private Broker(BrokerComponents parts, ProcessorTable processors, Persisters persisters, BrokerAcl acl,
                   boolean fastPortFree, ControllerAgent agent) {
        this.agent = agent;
        this.vertx = parts.vertx();
        this.acl = acl;
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
        BrokerRole masterRole = ControllerAgent.prepare(config);
        config.checkRole();
        BrokerAcl acl = BrokerAcl.openBlocking(config);
        BrokerAddress address = new BrokerAddress(config.brokerIP1);
        VertxMeters.configure(vertx, config);
        MessageStore localStore = storeFactory.create(vertx, config.store);
        localStore.start();
        Replication replication = Replication.of(config, localStore);
        MessageStore store = replication.wrap();
        Path configDir = Path.of(config.store.storeRoot, "config");
        TopicConfigManager topics = new TopicConfigManager(config);
        SubscriptionGroupManager groups = new SubscriptionGroupManager(config.autoCreateSubscriptionGroup);
        ConsumerOffsetManager offsets = new ConsumerOffsetManager();
        DelayLevelOffsets schedule = new DelayLevelOffsets();
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
        NameServerRegistrar registrar = new NameServerRegistrar(vertx, config, topics, address,
                new RemotingClient(vertx, new ProcessorTable(), config.clientTls(), acl.credentials()));
        PopConsumption pop;
        try {
            pop = PopConsumption.open(vertx, config, address, store, topics, groups, offsets, consumers, holds, stats,
                    metrics.traffic(), configDir);
        } catch (Exception e) {
            store.shutdown();
            throw e;
        }
        BrokerComponents parts = new BrokerComponents(vertx, config, address, bootTimestampMs, store, topics, groups,
                offsets, consumers, producers, holds, stats, metrics, schedule, registrar, replication, pop);
        ControllerAgent agent = config.controllerMode ? new ControllerAgent(parts, masterRole) : null;
        ProcessorTable processors = BrokerProcessors.build(parts);
        acl.guard(processors);
        warmUp(topics);
        Persisters persisters = new Persisters(new ConfigPersister(vertx, topicsFile, topics::encode),
                new ConfigPersister(vertx, groupsFile, groups::encode),
                new ConfigPersister(vertx, offsetsFile, offsets::encode),
                new ConfigPersister(vertx, delayOffsetsFile, schedule::encode));
        topics.persister(persisters.topics);
        groups.persister(persisters.groups);
        boolean fastPortFree = config.fastListenPortEnable && config.listenPort > 2
                && isFree(config.host, config.listenPort - 2);
        return new Broker(parts, processors, persisters, acl, fastPortFree, agent);
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

    /**
     * The second half of {@link #start}: deploys the {@link BrokerVerticle}, which listens, registers with the
     * nameservers and starts the HTTP API, scheduled delivery and transaction checks. Called from a verticle, the
     * broker's deployment is a child of that verticle's. A failed start stops the broker.
     */
    public Future<Broker> serve() {
        BrokerVerticle serving = new BrokerVerticle(this);
        return vertx.deployVerticle(serving)
                .map(id -> {
                    verticle = serving;
                    deploymentId = id;
                    return this;
                })
                .recover(e -> stop().transform(ar -> Future.failedFuture(e)));
    }

    /** A closed channel's clients and parked pulls leave the registries. */
    void forgetOnClose(RemotingChannel channel) {
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

    /** The actual remoting port; 0 until {@link #serve} bound it. */
    public int port() {
        return parts.address().port();
    }

    /** The actual HTTP port, or -1 when the HTTP API is disabled (or the broker is not served). */
    public int httpPort() {
        BrokerVerticle serving = verticle;
        return serving == null ? -1 : serving.httpPort();
    }

    /**
     * Deploys a transaction checker as part of this served master broker ({@link BrokerVerticle} deploys one when it
     * starts); after an operator or a test undeployed it, a new one resumes from the persisted check progress.
     * Completes with its deployment id.
     */
    public Future<String> deployTransactionChecker() {
        BrokerVerticle serving = verticle;
        return serving == null ? Future.failedFuture(new IllegalStateException("broker not served"))
                : serving.deployTransactionChecker();
    }

    /** The Vert.x deployment of the serving {@link BrokerVerticle}; null until served. */
    public String deploymentId() {
        return deploymentId;
    }

    /** "brokerIP1:port", the address registered at the nameservers; null until bound. */
    public String address() {
        return parts.address().hostPort();
    }

    /** Controller mode's agent (role, epoch, lease), or null when controllerMode is off. */
    public ControllerAgent controllerAgent() {
        return agent;
    }

    /** The broker's components, for in-JVM inspection (tests, embedding). */
    public BrokerComponents components() {
        return parts;
    }

    /**
     * Stops the broker: undeploys the serving verticle (its servers close first, then it unregisters, persists and
     * shuts the store down); a broker that was opened but never served closes its nameserver client and shuts down.
     */
    public synchronized Future<Void> stop() {
        if (stopped) {
            return Future.succeededFuture();
        }
        stopped = true;
        String id = deploymentId;
        return id != null ? vertx.undeploy(id) : parts.registrar().close().eventually(this::shutdown);
    }

    /** Persists configs and offsets and shuts the store down, on a worker. Once, at the very end. */
    Future<Void> shutdown() {
        return vertx.executeBlocking(() -> {
            try {
                persisters.topics.persistBlocking();
                persisters.groups.persistBlocking();
                persisters.offsets.persistBlocking();
                persisters.delayOffsets.persistBlocking();
                parts.pop().persistBlocking();
            } catch (Exception e) {
                LOG.error("persisting configs at shutdown failed", e);
            }
            parts.store().shutdown();
            parts.metrics().close();
            LOG.info("broker {} stopped", parts.config().brokerName);
            return null;
        }, false);
    }
}

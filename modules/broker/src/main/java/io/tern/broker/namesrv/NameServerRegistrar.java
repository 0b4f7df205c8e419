package io.tern.broker.namesrv;

import io.tern.broker.BrokerAddress;
import io.tern.broker.BrokerConfig;
import io.tern.broker.config.TopicConfigManager;
import io.tern.common.Json;
import io.tern.common.protocol.PermName;
import io.tern.common.protocol.RegisterBrokerBody;
import io.tern.common.protocol.TopicConfig;
import java.util.Map;
import java.util.TreeMap;
import io.tern.remoting.RemotingClient;
import io.tern.remoting.bus.InProcessServers;
import io.tern.remoting.bus.RemotingOverBus;
import io.tern.remoting.protocol.RemotingCommand;
import io.tern.remoting.protocol.RequestCode;
import io.tern.remoting.protocol.ResponseCode;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Registers this broker (REGISTER_BROKER, spec 3.2.1) with every configured nameserver: at start, every
 * {@code registerNameServerPeriodMs}, and right after a topic change. A nameserver of the same Vert.x instance (the
 * co-located one of a standalone node) is asked over the event bus, every other one over TCP. Rounds never overlap: requests arriving
 * while a round runs make exactly one more round follow, so a burst of topic creations costs two rounds.
 *
 * <p>Thread-safe.
 */
public final class NameServerRegistrar {
    private static final Logger LOG = LoggerFactory.getLogger(NameServerRegistrar.class);
    static final long RETRY_AFTER_FAILURE_MS = 2_000;
    /** Up to this many topics the registration body is encoded on the calling thread, beyond on a worker. */
    static final int INLINE_ENCODE_MAX_TOPICS = 64;

    private final Vertx vertx;
    private final BrokerConfig config;
    private final TopicConfigManager topics;
    private final RemotingClient client;
    private final BrokerAddress address;
    /** Callers waiting for the next round; guarded by this. */
    private final List<Promise<Void>> nextRound = new ArrayList<>();
    private boolean running;
    private boolean stopped;
    private boolean retryScheduled;
    /** The group's master as the nameservers last answered a registration (a slave replicates from it). */
    private volatile String masterAddress;
    private volatile String masterHaAddress;

    /**
     * Registers {@code address} once it is bound (the HA address is its port + 1), at the nameservers
     * {@code config} names at the time of each round. The registrar owns {@code client} and closes it on
     * {@link #unregister} or {@link #close}; connecting it early (before the first round) is the caller's choice.
     */
    public NameServerRegistrar(Vertx vertx, BrokerConfig config, TopicConfigManager topics, BrokerAddress address,
                               RemotingClient client) {
        this.vertx = vertx;
        this.config = config;
        this.topics = topics;
        this.client = client;
        this.address = address;
    }

    /** The client to the nameservers, for connecting ahead of the first round. */
    public RemotingClient client() {
        return client;
    }

    /**
     * Starts a round now, or one more after the running round. The future completes when a round that started
     * after this call finished (so it carries every change made before the call); it never fails.
     */
    public Future<Void> requestRegistration() {
        Promise<Void> done = Promise.promise();
        boolean start;
        synchronized (this) {
            if (stopped) {
                return Future.succeededFuture();
            }
            nextRound.add(done);
            start = !running;
            running = true;
        }
        if (start) {
            round();
        }
        return done.future();
    }

    /** One full round; completes when every nameserver answered, failed or timed out (never fails). */
    public Future<Void> registerNow() {
        return requestRegistration();
    }

    private void round() {
        List<Promise<Void>> covered;
        synchronized (this) {
            covered = new ArrayList<>(nextRound);
            nextRound.clear();
        }
        registerAll().onComplete(ar -> {
            covered.forEach(Promise::tryComplete);
            boolean again;
            boolean retry;
            synchronized (this) {
                again = !nextRound.isEmpty() && !stopped;
                running = again;
                // a nameserver that missed this round (down, or busy at our start) is retried soon, not in 30 s
                retry = !again && !stopped && !(ar.succeeded() && ar.result()) && !retryScheduled;
                retryScheduled |= retry;
            }
            if (again) {
                round();
            } else if (retry) {
                vertx.setTimer(RETRY_AFTER_FAILURE_MS, id -> {
                    synchronized (this) {
                        retryScheduled = false;
                    }
                    requestRegistration();
                });
            }
        });
    }

    /**
     * Encodes the topic table, then registers everywhere; true if all succeeded. A large table is encoded on a worker;
     * a small one (a fresh broker's system topics and a few more: tens of microseconds) right here, since the hop to
     * a worker and back cost the first topic's registration 4-40 ms on a busy start (src-docs/performance-notes.md,
     * change 23).
     */
    private Future<Boolean> registerAll() {
        if (topics.all().size() <= INLINE_ENCODE_MAX_TOPICS) {
            return registerAll(registerBody());
        }
        return vertx.executeBlocking(this::registerBody, false).compose(this::registerAll);
    }

    private Future<Boolean> registerAll(byte[] body) {
        int crc = crc32(body);
        String haServerAddr = address.ip() + ":" + address.haPort();
        List<Future<Boolean>> calls = new ArrayList<>();
        for (String addr : config.nameServerAddresses()) {
            RemotingCommand req = RemotingCommand.request(RequestCode.REGISTER_BROKER)
                    .put("brokerName", config.brokerName)
                    .put("brokerAddr", address.hostPort())
                    .put("clusterName", config.clusterName)
                    .put("haServerAddr", haServerAddr)
                    .put("brokerId", config.brokerId)
                    .put("compressed", false)
                    .put("bodyCrc32", crc)
                    .body(body);
            calls.add(invoke(addr, req)
                    .map(resp -> {
                        if (resp.code() != ResponseCode.SUCCESS) {
                            LOG.warn("register at {} answered {} {}", addr, resp.code(), resp.remark());
                            return false;
                        }
                        LOG.debug("registered at {}", addr);
                        noteMaster(resp.ext("masterAddr"), resp.ext("haServerAddr"));
                        return true;
                    })
                    .recover(e -> {
                        LOG.warn("register at {} failed: {}", addr, e.toString());
                        return Future.succeededFuture(false);
                    }));
        }
        return Future.join(calls).map(cf -> calls.stream().allMatch(f -> Boolean.TRUE.equals(f.result())));
    }

    private void noteMaster(String master, String masterHa) {
        if (master != null && !master.isEmpty() && masterHa != null && !masterHa.isEmpty()
                && !master.equals(address.hostPort())) {
            if (!masterHa.equals(masterHaAddress)) {
                LOG.info("the nameservers name {} (replication {}) as master of {}", master, masterHa,
                        config.brokerName);
            }
            masterAddress = master;
            masterHaAddress = masterHa;
        }
    }

    /** "ip:port" of the group's master as last answered by a nameserver, or null (masters, or not yet known). */
    public String masterAddress() {
        return masterAddress;
    }

    /** "ip:haPort" of the group's master as last answered by a nameserver, or null. */
    public String masterHaAddress() {
        return masterHaAddress;
    }

    /**
     * A nameserver of this Vert.x instance (a standalone node's) is asked over the event bus, others over TCP
     * ({@link InProcessServers}).
     */
    private Future<RemotingCommand> invoke(String nameServer, RemotingCommand request) {
        String busAddress = InProcessServers.busAddressOf(vertx, nameServer);
        return busAddress == null ? client.invoke(nameServer, request, config.registerTimeoutMs)
                : RemotingOverBus.request(vertx, busAddress, address.hostPort(), request, config.registerTimeoutMs);
    }

    /** Whether {@code nameServer} is reached over TCP (and worth connecting to ahead of the first round). */
    public boolean overTcp(String nameServer) {
        return InProcessServers.busAddressOf(vertx, nameServer) == null;
    }

    byte[] registerBody() {
        RegisterBrokerBody b = new RegisterBrokerBody();
        b.topicConfigSerializeWrapper = topics.snapshot();
        int brokerPerm = config.brokerPermission;
        if (!PermName.isWriteable(brokerPerm) || !PermName.isReadable(brokerPerm)) {
            // a broker that may not be written (or read) advertises its own permission on every topic, so clients
            // route around it (as the reference does)
            Map<String, TopicConfig> masked = new TreeMap<>();
            b.topicConfigSerializeWrapper.topicConfigTable.forEach((name, tc) -> {
                TopicConfig copy = tc.copy();
                copy.perm = brokerPerm;
                masked.put(name, copy);
            });
            b.topicConfigSerializeWrapper.topicConfigTable = masked;
        }
        return Json.toBytes(b);
    }

    static int crc32(byte[] body) {
        CRC32 crc = new CRC32();
        crc.update(body);
        return (int) (crc.getValue() & 0x7FFFFFFF);
    }

    /** UNREGISTER_BROKER to every nameserver, then closes the client. */
    public Future<Void> unregister() {
        List<Promise<Void>> waiting;
        synchronized (this) {
            stopped = true;
            waiting = new ArrayList<>(nextRound);
            nextRound.clear();
        }
        waiting.forEach(Promise::tryComplete);
        List<Future<?>> calls = new ArrayList<>();
        for (String addr : config.nameServerAddresses()) {
            RemotingCommand req = RemotingCommand.request(RequestCode.UNREGISTER_BROKER)
                    .put("brokerName", config.brokerName)
                    .put("brokerAddr", address.hostPort())
                    .put("clusterName", config.clusterName)
                    .put("brokerId", config.brokerId);
            calls.add(invoke(addr, req)
                    .onFailure(e -> LOG.warn("unregister at {} failed: {}", addr, e.toString()))
                    .recover(e -> Future.succeededFuture()));
        }
        return Future.join(calls).<Void>mapEmpty().eventually(client::close);
    }

    /** Stops without unregistering (the broker never registered): closes the client. */
    public Future<Void> close() {
        synchronized (this) {
            stopped = true;
        }
        return client.close();
    }
}

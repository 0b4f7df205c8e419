package io.tern.broker.ha;

import io.tern.broker.BrokerConfig;
import io.tern.broker.BrokerRole;
import io.tern.store.MessageStore;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.ThreadingModel;
import io.vertx.core.Vertx;
import java.util.List;
import java.util.function.Supplier;

/**
 * A broker's part in its group's replication, by role: a master deploys {@link HaMaster} (and, as SYNC_MASTER,
 * answers puts only after its slaves acknowledged them, {@link SyncMasterStore}); a slave deploys {@link HaSlave}
 * and refuses puts ({@link SlaveStore}). Each side is a worker verticle on its own single-thread pool
 * ({@code tern-ha-master} / {@code tern-ha-slave}). See src-docs/ha.md.
 *
 * <p>Built with the store ({@link #wrap}), started once the remoting port is bound ({@link #start}) as a child
 * deployment of the caller's verticle, so it stops with it, before the store shuts down. Thread-safe getters.
 */
public final class Replication {
    public static final String MASTER_POOL = "tern-ha-master";
    public static final String SLAVE_POOL = "tern-ha-slave";

    private final BrokerConfig config;
    private final MessageStore store;
    private final HaMaster master;
    private final SyncReplicaWaiters waiters;
    private final SlaveReadAdvisor readAdvisor;
    private volatile HaSlave slave;

    private Replication(BrokerConfig config, MessageStore store, HaMaster master, SyncReplicaWaiters waiters) {
        this.config = config;
        this.store = store;
        this.master = master;
        this.waiters = waiters;
        this.readAdvisor = SlaveReadAdvisor.of(config, this::firstStreamingSlave);
    }

    /** The replication of a broker with {@code config} over the opened {@code store}. */
    public static Replication of(BrokerConfig config, MessageStore store) {
        config.checkRole();
        if (config.brokerRole == BrokerRole.SLAVE) {
            return new Replication(config, store, null, null);
        }
        int slavesNeeded = config.effectiveInSyncReplicas() - 1;
        SyncReplicaWaiters waiters = slavesNeeded > 0 ? new SyncReplicaWaiters(config.store.syncFlushTimeoutMs) : null;
        HaMaster master = new HaMaster(store.replicaLog(), config.host, config.haTransferBatchBytes,
                config.haHeartbeatIntervalMs, slavesNeeded, config.haMaxGapNotInSync, waiters);
        return new Replication(config, store, master, waiters);
    }

    /** The store the broker's processors use: the store itself for an ASYNC_MASTER, a role wrapper otherwise. */
    public MessageStore wrap() {
        if (config.brokerRole == BrokerRole.SLAVE) {
            return new SlaveStore(store);
        }
        return waiters == null ? store : new SyncMasterStore(store, master, waiters);
    }

    /**
     * Deploys this role's verticle: a master listens on {@code haPort} (0 = ephemeral); a slave connects to
     * {@code haMasterAddress}, or else to what {@code learnedMasterAddress} says at each attempt. Completes with
     * the bound replication port (a slave's is 0).
     */
    public Future<Integer> start(Vertx vertx, int haPort, Supplier<String> learnedMasterAddress) {
        DeploymentOptions options = new DeploymentOptions().setThreadingModel(ThreadingModel.WORKER)
                .setWorkerPoolSize(1);
        if (master != null) {
            master.listenOn(haPort, config.haListenPort < 0);
            return vertx.deployVerticle(master, options.setWorkerPoolName(MASTER_POOL))
                    .map(id -> master.port());
        }
        String fixed = config.haMasterAddress;
        Supplier<String> address = fixed != null && !fixed.isBlank() ? () -> fixed : learnedMasterAddress;
        HaSlave s = new HaSlave(store.replicaLog(), config.brokerId, address, config.haReconnectMaxBackoffMs,
                config.haHeartbeatIntervalMs);
        slave = s;
        return vertx.deployVerticle(s, options.setWorkerPoolName(SLAVE_POOL)).map(id -> 0);
    }

    public BrokerRole role() {
        return config.brokerRole;
    }

    /** A master's connected slaves; empty for a slave. */
    public List<HaMaster.SlaveStatus> slaves() {
        HaMaster m = master;
        return m == null ? List.of() : m.slaves();
    }

    /** Whether a master's replication service polls its log (it does only while it serves a slave). */
    public boolean masterPolling() {
        HaMaster m = master;
        return m != null && m.polling();
    }

    /** What pull responses suggest as the broker to read from next. */
    public SlaveReadAdvisor readAdvisor() {
        return readAdvisor;
    }

    private long firstStreamingSlave() {
        if (master == null) {
            return -1;
        }
        for (HaMaster.SlaveStatus s : master.slaves()) {
            if (s.streaming()) {
                return s.brokerId();
            }
        }
        return -1;
    }

    /**
     * Replication as /api/broker shows it: the role and, for a master, each connected slave with its acknowledged
     * offset and lag in bytes; for a slave, its master, both ends and the lag.
     */
    public io.vertx.core.json.JsonObject status() {
        io.vertx.core.json.JsonObject out = new io.vertx.core.json.JsonObject().put("role", config.brokerRole.name())
                .put("maxOffset", store.replicaLog().maxOffset());
        if (master != null) {
            io.vertx.core.json.JsonArray slaves = new io.vertx.core.json.JsonArray();
            for (HaMaster.SlaveStatus s : master.slaves()) {
                slaves.add(new io.vertx.core.json.JsonObject().put("brokerId", s.brokerId())
                        .put("address", s.address()).put("streaming", s.streaming())
                        .put("ackedOffset", s.ackedOffset()).put("lagBytes", s.lagBytes()));
            }
            out.put("haPort", master.port()).put("inSyncReplicas", config.effectiveInSyncReplicas())
                    .put("slaves", slaves);
        } else {
            HaSlave s = slave;
            long masterEnd = s == null ? -1 : s.masterMaxOffset();
            out.put("master", s == null ? null : s.connectedTo()).put("masterMaxOffset", masterEnd)
                    .put("lagBytes", masterEnd < 0 ? null : Math.max(0, masterEnd - store.replicaLog().maxOffset()));
        }
        return out;
    }

    /** A slave's replication client, or null on a master. */
    public HaSlave slave() {
        return slave;
    }
}

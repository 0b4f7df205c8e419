package io.tern.broker.failover;

import io.tern.broker.BrokerComponents;
import io.tern.broker.BrokerConfig;
import io.tern.broker.BrokerRole;
import io.tern.broker.ha.HaMaster;
import io.tern.broker.ha.Replication;
import io.tern.remoting.RemotingClient;
import io.tern.remoting.controller.ControllerWire;
import io.tern.remoting.controller.ControllerWire.GroupView;
import io.tern.remoting.controller.ControllerWire.ReplicaView;
import io.tern.remoting.protocol.RemotingCommand;
import io.tern.remoting.protocol.ResponseCode;
import io.tern.store.ReplicaLog;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A broker's side of controller mode (src-docs/ha.md "Controller"): every controllerHeartbeatIntervalMs it reports
 * itself to the controller leader (log end, the epoch it acts under; as master its SyncStateSet wish and its epoch
 * start) and acts on the answer:
 * <ul>
 *   <li>named master under a new epoch: stop replicating, cut a half-received record, write the epoch's start to the
 *       {@link EpochFile}, listen for slaves, register as brokerId 0 — and take sends once the next answer grants
 *       the lease;</li>
 *   <li>another replica named master: step down if master (puts refused at once), cut the log back to where the
 *       first epoch after this replica's last one began, record the new epoch, replicate from the new master,
 *       register under its own replica id;</li>
 *   <li>as master: count only the acks of committed SyncStateSet members, minus those it is asking to remove.</li>
 * </ul>
 *
 * <p>Thread contract: runs on the broker verticle's event loop; one role change at a time; {@link #status} from any
 * thread.
 */
public final class ControllerAgent {
    private static final Logger LOG = LoggerFactory.getLogger(ControllerAgent.class);

    /** What the broker verticle starts and stops with the role (scheduler and checker, metadata sync). */
    public interface RoleHooks {
        void becameMaster();

        void becameSlave();
    }

    private final BrokerComponents parts;
    private final BrokerConfig config;
    private final Replication replication;
    private final ReplicaLog log;
    private final EpochFile epochs;
    private final long replicaId;
    private final BrokerRole masterRole;
    private final List<String> controllers;
    private Vertx vertx;
    /** The broker verticle's context: every step of a role change continues here (and deploys as its child). */
    private io.vertx.core.Context context;
    private RemotingClient client;
    private RoleHooks hooks;
    private int current;
    private long timer = -1;
    private boolean stopped;
    private boolean beating;
    private boolean busy;
    private volatile boolean master;
    private volatile int epoch;
    private long following = -1;
    private String followingHa;
    private JsonObject pendingEpochStart;
    /** The SyncStateSet as last committed, and what this master last asked for (null = nothing asked). */
    private volatile Set<Long> committedSet = Set.of();
    private volatile Set<Long> wish;
    private volatile GroupView lastView;
    private volatile String leader;

    /** Reads the epoch file (blocking: the broker is opening on a worker). */
    public ControllerAgent(BrokerComponents parts, BrokerRole masterRole) throws IOException {
        this.parts = parts;
        this.config = parts.config();
        this.replication = parts.replication();
        this.log = parts.store().replicaLog();
        this.epochs = new EpochFile(Path.of(config.store.storeRoot, "epoch"));
        this.replicaId = config.brokerId;
        this.masterRole = masterRole;
        this.controllers = Arrays.stream(config.controllerAddr.split(";")).map(String::trim)
                .filter(s -> !s.isEmpty()).toList();
        if (controllers.isEmpty()) {
            throw new IllegalArgumentException("controllerMode needs controllerAddr");
        }
    }

    /**
     * Controller mode only: checks the replica id and makes the broker start as a slave; returns the role to take
     * when elected (brokerRole, ASYNC_MASTER when it said SLAVE). Null when controller mode is off.
     */
    public static BrokerRole prepare(BrokerConfig config) {
        if (!config.controllerMode) {
            return null;
        }
        if (config.brokerId < 1) {
            throw new IllegalArgumentException("controllerMode: brokerId is this replica's id and must be 1 or more, not "
                    + config.brokerId);
        }
        BrokerRole role = config.brokerRole.isMaster() ? config.brokerRole : BrokerRole.ASYNC_MASTER;
        config.brokerRole = BrokerRole.SLAVE;
        return role;
    }

    /** Starts heartbeating; call on the broker verticle's context once the broker is registered. */
    public void start(Vertx vertx, RoleHooks hooks) {
        this.vertx = vertx;
        this.context = vertx.getOrCreateContext();
        this.hooks = hooks;
        this.client = parts.registrar().client();
        timer = vertx.setPeriodic(Math.max(50, config.controllerHeartbeatIntervalMs), id -> beat());
        beat();
    }

    public void stop() {
        stopped = true;
        if (vertx != null) {
            vertx.cancelTimer(timer);
        }
    }

    private void beat() {
        if (stopped || beating) {
            return;
        }
        beating = true;
        long sentAt = System.nanoTime();
        RemotingCommand request = RemotingCommand.request(ControllerWire.BROKER_HEARTBEAT)
                .body(heartbeatBody().encode().getBytes(StandardCharsets.UTF_8));
        send(request, 0).onComplete(ar -> {
            beating = false;
            if (ar.succeeded() && ar.result() != null && !stopped) {
                onAnswer(ar.result(), sentAt);
            }
        });
    }

    /** Tries the controllers in turn from the last one that answered, once each per round. */
    private Future<JsonObject> send(RemotingCommand request, int tries) {
        if (tries >= controllers.size()) {
            leader = null;
            return Future.succeededFuture(null);
        }
        String address = controllers.get(current);
        long timeoutMs = Math.max(500, Math.min(3_000, config.controllerHeartbeatIntervalMs * 2));
        return client.invoke(address, request, timeoutMs).transform(ar -> {
            if (ar.succeeded() && ar.result().code() == ResponseCode.SUCCESS) {
                leader = address;
                return Future.succeededFuture(new JsonObject(
                        new String(ar.result().bodyBytes(), StandardCharsets.UTF_8)));
            }
            if (ar.failed() || ar.result().code() != ControllerWire.NOT_LEADER) {
                LOG.debug("controller {}: {}", address, ar.failed() ? ar.cause().toString() : ar.result().remark());
            }
            current = (current + 1) % controllers.size();
            RemotingCommand again = RemotingCommand.request(ControllerWire.BROKER_HEARTBEAT).body(request.body());
            return send(again, tries + 1);
        });
    }

    private JsonObject heartbeatBody() {
        JsonObject body = new JsonObject().put("cluster", config.clusterName).put("group", config.brokerName)
                .put("replicaId", replicaId).put("address", parts.address().hostPort())
                .put("haAddress", haAddress()).put("maxOffset", log.maxOffset()).put("epoch", epoch)
                .put("master", master);
        if (pendingEpochStart != null) {
            body.put("epochStart", pendingEpochStart);
        }
        if (master && !busy) {
            Set<Long> w = syncStateSetWish();
            wish = w;
            body.put("inSync", new JsonArray(w.stream().map(Object.class::cast).toList()));
        }
        return body;
    }

    /** "ip:haPort": the bound port while master, else the port it will bind (the default listenPort + 1). */
    private String haAddress() {
        int port = master ? parts.address().haPort() : config.haPortToBind(parts.address().port());
        return parts.address().ip() + ":" + port;
    }

    /**
     * Members stay while they stream within haMaxGapNotInSync; others join once within one transfer batch of the
     * log's end (caught up).
     */
    private Set<Long> syncStateSetWish() {
        Set<Long> w = new TreeSet<>();
        w.add(replicaId);
        for (HaMaster.SlaveStatus s : replication.slaves()) {
            boolean member = committedSet.contains(s.brokerId());
            if (s.streaming() && (member ? s.lagBytes() <= config.haMaxGapNotInSync
                    : s.lagBytes() < config.haTransferBatchBytes)) {
                w.add(s.brokerId());
            }
        }
        return w;
    }

    /** Whether a slave's acks count: a committed member this master is not asking to remove. */
    private boolean countsForAcks(long slaveId) {
        Set<Long> w = wish;
        return committedSet.contains(slaveId) && (w == null || w.contains(slaveId));
    }

    private void onAnswer(JsonObject answer, long sentAt) {
        GroupView v = GroupView.fromJson(answer.getJsonObject("group"));
        lastView = v;
        boolean mine = v.masterId() == replicaId && v.epoch() == epoch;
        if (mine && master) {
            committedSet = new HashSet<>(v.syncStateSet());
            replication.lease().extend(sentAt, answer.getLong("leaseMs", 0L));
        }
        if (pendingEpochStart != null && v.epochStarts().containsKey(pendingEpochStart.getInteger("epoch"))) {
            pendingEpochStart = null;
        }
        if (busy) {
            return;
        }
        if (v.masterId() == replicaId) {
            if (!master || epoch != v.epoch()) {
                promote(v);
            }
            return;
        }
        if (v.masterId() < 0) {
            return;
        }
        ReplicaView m = v.master();
        if (master || epoch != v.epoch() || following != v.masterId() || !Objects.equals(followingHa, m.haAddress())) {
            Long start = v.epochStarts().get(v.epoch());
            if (start == null) {
                if (master) {
                    stepDown(v.epoch());
                }
                return;
            }
            follow(v, start);
        }
    }

    private void promote(GroupView v) {
        busy = true;
        int e = v.epoch();
        LOG.info("{} replica {}: elected master for epoch {}", config.brokerName, replicaId, e);
        replication.stopRole()
                // a record the old master's stream left half-sent must not sit under our first put
                .compose(x -> Future.fromCompletionStage(log.truncate(Long.MAX_VALUE), context))
                .compose(end -> vertx.executeBlocking(() -> {
                    if (epochs.startOf(e) < 0) {
                        epochs.append(e, end);
                    }
                    return epochs.startOf(e);
                }, false))
                .compose(start -> {
                    config.brokerRole = masterRole;
                    config.brokerId = 0;
                    committedSet = new HashSet<>(v.syncStateSet());
                    wish = null;
                    return replication.startMaster(config.haPortToBind(parts.address().port()), this::countsForAcks)
                            .map(port -> {
                                parts.address().bindHa(port);
                                master = true;
                                epoch = e;
                                following = -1;
                                followingHa = null;
                                pendingEpochStart = new JsonObject().put("epoch", e).put("offset", start);
                                LOG.info("{} replica {}: master of epoch {} from offset {}", config.brokerName,
                                        replicaId, e, start);
                                return null;
                            });
                })
                .compose(x -> {
                    hooks.becameMaster();
                    return parts.registrar().registerNow();
                })
                .onComplete(ar -> done("promotion to master", ar));
    }

    /** The master lost its place but its successor's epoch start is not known yet: refuse puts, wait. */
    private void stepDown(int newEpoch) {
        busy = true;
        master = false;
        LOG.warn("{} replica {}: no longer master (epoch {} elected another)", config.brokerName, replicaId, newEpoch);
        replication.stopRole().compose(x -> {
            actAsSlave();
            return parts.registrar().registerNow();
        }).onComplete(ar -> done("stepping down", ar));
    }

    private void actAsSlave() {
        config.brokerRole = BrokerRole.SLAVE;
        config.brokerId = replicaId;
        following = -1;
        followingHa = null;
        hooks.becameSlave();
    }

    private void follow(GroupView v, long epochStart) {
        busy = true;
        boolean wasMaster = master;
        master = false;
        int e = v.epoch();
        ReplicaView m = v.master();
        replication.stopRole()
                .compose(x -> {
                    if (wasMaster || config.brokerRole != BrokerRole.SLAVE) {
                        actAsSlave();
                    }
                    int last = epochs.lastEpoch();
                    long cut = last < e ? v.startOfEpochAfter(last) : -1;
                    long end = log.maxOffset();
                    if (cut >= 0 && cut < end) {
                        LOG.warn("{} replica {}: cutting the log from {} back to {} where epoch {} began (ours ended "
                                + "with epoch {})", config.brokerName, replicaId, end, cut, v.epochStarts()
                                .higherKey(last), last);
                        return Future.fromCompletionStage(log.truncate(cut), context);
                    }
                    return Future.succeededFuture(end);
                })
                .compose(end -> vertx.executeBlocking(() -> {
                    if (epochs.lastEpoch() < e) {
                        epochs.append(e, epochStart);
                    }
                    return null;
                }, false))
                .compose(x -> replication.startSlave(m.haAddress()))
                .compose(x -> {
                    following = v.masterId();
                    followingHa = m.haAddress();
                    epoch = e;
                    LOG.info("{} replica {}: slave of replica {} ({}) in epoch {}", config.brokerName, replicaId,
                            v.masterId(), m.haAddress(), e);
                    return wasMaster ? parts.registrar().registerNow() : Future.<Void>succeededFuture();
                })
                .onComplete(ar -> done("following the master", ar));
    }

    private void done(String what, io.vertx.core.AsyncResult<?> ar) {
        busy = false;
        if (ar.failed()) {
            LOG.error("{} replica {}: {} failed; retrying with the next heartbeat", config.brokerName, replicaId, what,
                    ar.cause());
        }
        if (!stopped) {
            beat();
        }
    }

    /** The master epoch this broker acts under; 0 before the controller named a master. */
    public int epoch() {
        return epoch;
    }

    /** Whether this broker acts as its group's master. */
    public boolean isMaster() {
        return master;
    }

    /** Whether this master may acknowledge sends now. */
    public boolean leaseValid() {
        return replication.lease().valid();
    }

    /** This replica's controller-mode state: role, epoch, lease, SyncStateSet, epoch file. */
    public JsonObject status() {
        GroupView v = lastView;
        JsonObject out = new JsonObject().put("controller", leader).put("replicaId", replicaId)
                .put("master", master).put("epoch", epoch).put("leaseValid", replication.lease().valid())
                .put("syncStateSet", new JsonArray(committedSet.stream().map(Object.class::cast).toList()))
                .put("epochFile", new JsonObject(epochs.entries().entrySet().stream().collect(
                        java.util.stream.Collectors.toMap(en -> String.valueOf(en.getKey()), en -> (Object) en.getValue()))));
        if (v != null) {
            out.put("groupMasterId", v.masterId()).put("groupEpoch", v.epoch());
        }
        return out;
    }
}

package io.tern.controller;

import io.tern.controller.raft.RaftNode;
import io.tern.controller.state.Command;
import io.tern.remoting.RemotingChannel;
import io.tern.remoting.controller.ControllerWire;
import io.tern.remoting.protocol.RemotingCommand;
import io.tern.remoting.protocol.ResponseCode;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

/**
 * Answers a broker's heartbeat ({@link ControllerWire#BROKER_HEARTBEAT}) on the leader: notes it alive, commits
 * what the heartbeat changes (a new or moved replica, a new master's epoch start, the master's SyncStateSet wish)
 * through the Raft log, and answers the group's state with the master's lease. A follower answers
 * {@link ControllerWire#NOT_LEADER}.
 *
 * <p>The lease ({@code leaseMs}, two thirds of the heartbeat timeout) is how long a master may acknowledge sends
 * after it sent the heartbeat this answers: it ends before the controller could elect another master.
 *
 * <p>Runs on the controller verticle's event loop (the table is registered non-blocking; Raft commits complete
 * back on that loop).
 */
final class HeartbeatProcessor {
    private final RaftNode node;
    private final BrokerLiveness liveness;
    private final long timeoutMs;
    private final Context context;

    HeartbeatProcessor(RaftNode node, BrokerLiveness liveness, ControllerConfig config, Context context) {
        this.node = node;
        this.liveness = liveness;
        this.timeoutMs = config.brokerHeartbeatTimeoutMs;
        this.context = context;
    }

    Future<RemotingCommand> heartbeat(RemotingChannel channel, RemotingCommand request) {
        if (!node.isLeaderReady()) {
            return Future.succeededFuture(notLeader(request));
        }
        JsonObject hb;
        try {
            hb = new JsonObject(new String(request.bodyBytes(), StandardCharsets.UTF_8));
            hb.getString("group").length();
            hb.getLong("replicaId").longValue();
        } catch (RuntimeException e) {
            return Future.succeededFuture(RemotingCommand.responseTo(request, ResponseCode.SYSTEM_ERROR,
                    "bad heartbeat body: " + e.getMessage()));
        }
        String group = hb.getString("group");
        long id = hb.getLong("replicaId");
        liveness.record(group, id, hb.getLong("maxOffset", 0L), System.nanoTime());
        return commitChanges(hb, group, id).map(g -> {
            RemotingCommand response = RemotingCommand.successTo(request);
            JsonObject body = new JsonObject().put("leaseMs", timeoutMs * 2 / 3).put("group", withAlive(g));
            return response.body(body.encode().getBytes(StandardCharsets.UTF_8));
        }).recover(e -> Future.succeededFuture(RemotingCommand.responseTo(request,
                ResponseCode.SYSTEM_ERROR, "controller: " + e.getMessage())));
    }

    /** Commits, one after another, what this heartbeat changes; completes with the group's state after them. */
    private Future<JsonObject> commitChanges(JsonObject hb, String group, long id) {
        JsonObject g = node.state().group(group);
        JsonObject replica = g == null ? null : g.getJsonObject("replicas").getJsonObject(String.valueOf(id));
        Future<JsonObject> done = Future.succeededFuture(g);
        if (replica == null || !replica.getString("address", "").equals(hb.getString("address"))
                || !replica.getString("haAddress", "").equals(hb.getString("haAddress"))) {
            done = submit(Command.register(hb.getString("cluster", "DefaultCluster"), group, id,
                    hb.getString("address"), hb.getString("haAddress")));
        }
        JsonObject start = hb.getJsonObject("epochStart");
        if (start != null) {
            done = done.compose(state -> state.getLong("masterId", -1L) == id
                    && !state.getJsonObject("epochStarts").containsKey(String.valueOf(start.getInteger("epoch")))
                    ? submit(Command.epochStart(group, start.getInteger("epoch"), start.getLong("offset")))
                    : Future.succeededFuture(state));
        }
        JsonArray wish = hb.getJsonArray("inSync");
        if (wish != null && hb.getBoolean("master", false)) {
            TreeSet<Long> set = new TreeSet<>();
            wish.forEach(x -> set.add(((Number) x).longValue()));
            done = done.compose(state -> state.getLong("masterId", -1L) == id
                    && state.getInteger("epoch") == hb.getInteger("epoch", -1)
                    && !sameSet(state.getJsonArray("syncStateSet"), set)
                    ? submit(Command.syncStateSet(group, id, hb.getInteger("epoch"), set))
                    : Future.succeededFuture(state));
        }
        return done;
    }

    private static boolean sameSet(JsonArray current, TreeSet<Long> wish) {
        TreeSet<Long> cur = new TreeSet<>();
        current.forEach(x -> cur.add(((Number) x).longValue()));
        return cur.equals(wish);
    }

    private Future<JsonObject> submit(JsonObject command) {
        return Future.fromCompletionStage(node.submit(command), context).map(r -> {
            if (r.containsKey("error")) {
                throw new IllegalStateException(r.getString("error"));
            }
            return r;
        });
    }

    private JsonObject withAlive(JsonObject g) {
        long now = System.nanoTime();
        long timeoutNanos = TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        String group = g.getString("group");
        g.getJsonObject("replicas").forEach(e -> ((JsonObject) e.getValue()).put("alive",
                liveness.alive(group, Long.parseLong(e.getKey()), now, timeoutNanos)));
        return g;
    }

    Future<RemotingCommand> state(RemotingChannel channel, RemotingCommand request) {
        boolean leader = node.isLeaderReady();
        JsonArray groups = node.state().groups();
        if (leader) {
            groups.forEach(g -> withAlive((JsonObject) g));
        }
        JsonObject body = new JsonObject().put("selfId", node.selfId()).put("leaderId", node.leaderId())
                .put("leader", leader).put("term", node.term()).put("appliedIndex", node.appliedIndex())
                .put("peers", new JsonArray(node.peerIds().stream().map(Object.class::cast).toList()))
                .put("groups", groups);
        return Future.succeededFuture(RemotingCommand.successTo(request)
                .body(body.encode().getBytes(StandardCharsets.UTF_8)));
    }

    private RemotingCommand notLeader(RemotingCommand request) {
        String leader = node.leaderId();
        return RemotingCommand.responseTo(request, ControllerWire.NOT_LEADER,
                "not the controller leader" + (leader == null ? "" : "; leader is " + leader));
    }
}

package io.tern.controller;

import io.tern.controller.raft.RaftNode;
import io.tern.controller.state.Command;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The leader's periodic look at every group: a group whose master stopped sending heartbeats (or that has none
 * yet) gets a new one, through an {@code elect} command in the Raft log.
 *
 * <p>Who may be elected: a live member of the SyncStateSet other than the old master — only those hold every
 * message the master acknowledged (the master counts only their acks, and only while its lease holds, see
 * src-docs/ha.md). A new group (epoch 0) may take any live replica. With no live member,
 * {@code allowUncleanElection} decides whether another live replica is taken (acknowledged messages may be lost)
 * or the group waits for a member to return.
 *
 * <p>Which one: the candidate whose log ends furthest, judged only from heartbeats that arrived after the master
 * was found dead — by then nothing more reaches the candidates from it, so the offsets they report are final.
 * The election waits until every live candidate has sent such a heartbeat (one heartbeat interval), or one more
 * timeout for the stragglers.
 *
 * <p>Not thread-safe; owned by the controller verticle's event loop.
 */
final class MasterElector {
    private static final Logger LOG = LoggerFactory.getLogger(MasterElector.class);

    private final RaftNode node;
    private final BrokerLiveness liveness;
    private final long timeoutNanos;
    private final boolean allowUnclean;
    /** When the current leadership began (System.nanoTime); -1 while not leader. */
    private long leaderSinceNanos = -1;
    /** Groups whose master is missing, and since when. */
    private final Map<String, Long> missingSince = new HashMap<>();
    private final Set<String> electing = new HashSet<>();
    /** Runs a task on the owning event loop (Ratis completes its futures on its own threads). */
    private final Executor onLoop;

    MasterElector(RaftNode node, BrokerLiveness liveness, ControllerConfig config, Executor onLoop) {
        this.node = node;
        this.onLoop = onLoop;
        this.liveness = liveness;
        this.timeoutNanos = TimeUnit.MILLISECONDS.toNanos(config.brokerHeartbeatTimeoutMs);
        this.allowUnclean = config.allowUncleanElection;
    }

    /** One look at every group; call periodically on the owning event loop. */
    void scan(long nowNanos) {
        if (!node.isLeaderReady()) {
            if (leaderSinceNanos >= 0) {
                LOG.info("controller {} is no longer leader", node.selfId());
            }
            leaderSinceNanos = -1;
            missingSince.clear();
            liveness.clear();
            return;
        }
        if (leaderSinceNanos < 0) {
            leaderSinceNanos = nowNanos;
            LOG.info("controller {} leads (term {}); elections wait {} ms for heartbeats", node.selfId(),
                    node.term(), TimeUnit.NANOSECONDS.toMillis(timeoutNanos));
        }
        if (nowNanos - leaderSinceNanos < timeoutNanos) {
            return;
        }
        JsonArray groups = node.state().groups();
        for (int i = 0; i < groups.size(); i++) {
            check(groups.getJsonObject(i), nowNanos);
        }
    }

    private void check(JsonObject g, long nowNanos) {
        String group = g.getString("group");
        long masterId = g.getLong("masterId");
        if (masterId >= 0 && liveness.alive(group, masterId, nowNanos, timeoutNanos)) {
            missingSince.remove(group);
            return;
        }
        if (electing.contains(group)) {
            return;
        }
        long since = missingSince.computeIfAbsent(group, k -> nowNanos);
        int epoch = g.getInteger("epoch");
        List<Long> candidates = candidates(g, group, masterId, epoch, nowNanos);
        if (candidates.isEmpty()) {
            return;
        }
        long best = -1;
        long bestOffset = -1;
        boolean allFresh = true;
        for (long id : candidates) {
            BrokerLiveness.Beat beat = liveness.last(group, id);
            if (beat.atNanos() <= since) {
                allFresh = false;
            } else if (beat.maxOffset() > bestOffset) {
                best = id;
                bestOffset = beat.maxOffset();
            }
        }
        if (best < 0 || (!allFresh && nowNanos - since < timeoutNanos)) {
            return;
        }
        long chosen = best;
        LOG.info("group {}: master {} {}; electing replica {} (log end {}) for epoch {}", group, masterId,
                masterId < 0 ? "not chosen yet" : "missed its heartbeats", chosen, bestOffset, epoch + 1);
        electing.add(group);
        node.submit(Command.elect(group, chosen, epoch)).whenCompleteAsync((r, e) -> {
            // the command is conditional on the epoch: a repeated or stale one applies as a no-op
            electing.remove(group);
            missingSince.remove(group);
            if (e != null) {
                LOG.warn("group {}: election not committed: {}", group, e.toString());
            }
        }, onLoop);
    }

    private List<Long> candidates(JsonObject g, String group, long masterId, int epoch, long nowNanos) {
        List<Long> out = new ArrayList<>();
        if (epoch == 0 || masterId < 0) {
            g.getJsonObject("replicas").fieldNames().forEach(id -> out.add(Long.parseLong(id)));
        } else {
            g.getJsonArray("syncStateSet").forEach(id -> out.add(((Number) id).longValue()));
        }
        out.removeIf(id -> id == masterId || !liveness.alive(group, id, nowNanos, timeoutNanos));
        if (out.isEmpty() && allowUnclean && epoch > 0) {
            g.getJsonObject("replicas").fieldNames().forEach(id -> out.add(Long.parseLong(id)));
            out.removeIf(id -> id == masterId || !liveness.alive(group, id, nowNanos, timeoutNanos));
            if (!out.isEmpty()) {
                LOG.warn("group {}: no live SyncStateSet member; unclean election among {}", group, out);
            }
        }
        return out;
    }
}

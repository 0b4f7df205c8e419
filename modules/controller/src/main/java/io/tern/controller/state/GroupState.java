package io.tern.controller.state;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * One broker group as the controller's replicated state holds it: its replicas, the master and its epoch, the
 * SyncStateSet (replicas that may become master without losing an acknowledged message) and where each master epoch
 * began in the commit log. Changed only by {@link ControllerState#apply}, i.e. by committed Raft entries.
 *
 * <p>Not thread-safe; owned by the state machine's apply thread (readers get copies via {@link #toJson}).
 */
final class GroupState {
    /** The most epochs whose start offsets are kept; a replica further behind truncates to the oldest kept. */
    static final int EPOCH_HISTORY = 64;

    final String cluster;
    final String group;
    final TreeMap<Long, JsonObject> replicas = new TreeMap<>();
    long masterId = -1;
    int epoch;
    final TreeSet<Long> syncStateSet = new TreeSet<>();
    int syncStateSetEpoch;
    final TreeMap<Integer, Long> epochStarts = new TreeMap<>();

    GroupState(String cluster, String group) {
        this.cluster = cluster;
        this.group = group;
    }

    JsonObject toJson() {
        JsonObject reps = new JsonObject();
        replicas.forEach((id, r) -> reps.put(String.valueOf(id), r.copy()));
        JsonObject starts = new JsonObject();
        epochStarts.forEach((e, offset) -> starts.put(String.valueOf(e), offset));
        return new JsonObject().put("cluster", cluster).put("group", group).put("masterId", masterId)
                .put("epoch", epoch).put("syncStateSet", new JsonArray(syncStateSet.stream().map(Object.class::cast)
                        .toList()))
                .put("syncStateSetEpoch", syncStateSetEpoch).put("replicas", reps).put("epochStarts", starts);
    }

    static GroupState fromJson(JsonObject json) {
        GroupState g = new GroupState(json.getString("cluster"), json.getString("group"));
        g.masterId = json.getLong("masterId", -1L);
        g.epoch = json.getInteger("epoch", 0);
        g.syncStateSetEpoch = json.getInteger("syncStateSetEpoch", 0);
        json.getJsonArray("syncStateSet").forEach(id -> g.syncStateSet.add(((Number) id).longValue()));
        json.getJsonObject("replicas").forEach(e -> g.replicas.put(Long.parseLong(e.getKey()),
                ((JsonObject) e.getValue()).copy()));
        json.getJsonObject("epochStarts").forEach(e -> g.epochStarts.put(Integer.parseInt(e.getKey()),
                ((Number) e.getValue()).longValue()));
        return g;
    }

    void putEpochStart(int e, long offset) {
        epochStarts.put(e, offset);
        while (epochStarts.size() > EPOCH_HISTORY) {
            epochStarts.pollFirstEntry();
        }
    }
}

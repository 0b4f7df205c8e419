package io.tern.remoting.controller;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The one owner of what brokers and the controller say to each other (issue 12, src-docs/ha.md "Controller"):
 * request codes of Tern's own (the reference's controller codes 1001–1010 carry different bodies) and the JSON
 * bodies, over the ordinary remoting frames.
 *
 * <pre>
 * BROKER_HEARTBEAT (request body, a broker every controllerHeartbeatIntervalMs)
 *   {"cluster", "group", "replicaId", "address" (remoting host:port), "haAddress" (host:haPort),
 *    "maxOffset" (end of its commit log), "epoch" (the master epoch it acts under, 0 = none),
 *    "master" (true while it acts as master),
 *    "epochStart": {"epoch", "offset"}   optional: a new master's log end when it took the epoch,
 *    "inSync": [replicaId...]            optional: a master's wish for the SyncStateSet (itself included)}
 * answer SUCCESS: {"leaseMs", "group": GROUP}
 * answer NOT_LEADER (remark names the leader's id when known): ask another controller
 *
 * GET_CONTROLLER_STATE (no body) answer SUCCESS:
 *   {"selfId", "leaderId", "leader" (bool), "term", "appliedIndex", "peers": [..], "groups": [GROUP...]}
 *
 * GROUP = {"cluster", "group", "masterId" (-1 = none yet), "epoch", "syncStateSet": [ids], "syncStateSetEpoch",
 *          "replicas": {"id": {"address", "haAddress", "alive" (only in answers of the leader)}},
 *          "epochStarts": {"epoch": startOffset}}
 * </pre>
 */
public final class ControllerWire {
    /** A broker reports itself and learns its group's state. */
    public static final int BROKER_HEARTBEAT = 2901;
    /** The controller's state, for the HTTP API, tern-admin and tests. */
    public static final int GET_CONTROLLER_STATE = 2902;
    /** Answer of a controller that is not the Raft leader (the reference's CONTROLLER_NOT_LEADER). */
    public static final int NOT_LEADER = 2007;

    private ControllerWire() {
    }

    /** A group's state as the controller tells it; immutable. */
    public record GroupView(String cluster, String group, long masterId, int epoch, Set<Long> syncStateSet,
                            int syncStateSetEpoch, Map<Long, ReplicaView> replicas, TreeMap<Integer, Long> epochStarts) {

        public static GroupView fromJson(JsonObject json) {
            Set<Long> set = new TreeSet<>();
            JsonArray ids = json.getJsonArray("syncStateSet", new JsonArray());
            for (int i = 0; i < ids.size(); i++) {
                set.add(((Number) ids.getValue(i)).longValue());
            }
            Map<Long, ReplicaView> replicas = new TreeMap<>();
            json.getJsonObject("replicas", new JsonObject()).forEach(e -> {
                JsonObject r = (JsonObject) e.getValue();
                replicas.put(Long.parseLong(e.getKey()), new ReplicaView(r.getString("address"),
                        r.getString("haAddress"), r.getBoolean("alive", false)));
            });
            TreeMap<Integer, Long> starts = new TreeMap<>();
            json.getJsonObject("epochStarts", new JsonObject())
                    .forEach(e -> starts.put(Integer.parseInt(e.getKey()), ((Number) e.getValue()).longValue()));
            return new GroupView(json.getString("cluster"), json.getString("group"), json.getLong("masterId", -1L),
                    json.getInteger("epoch", 0), set, json.getInteger("syncStateSetEpoch", 0), replicas, starts);
        }

        /** The master's replica, or null when none is elected. */
        public ReplicaView master() {
            return replicas.get(masterId);
        }

        /** Where the first epoch after {@code epoch} started, or -1 when none followed it (yet). */
        public long startOfEpochAfter(int epoch) {
            Map.Entry<Integer, Long> next = epochStarts.higherEntry(epoch);
            return next == null ? -1 : next.getValue();
        }
    }

    /** One replica: its remoting and replication addresses, and whether the leader hears its heartbeats. */
    public record ReplicaView(String address, String haAddress, boolean alive) {
    }
}

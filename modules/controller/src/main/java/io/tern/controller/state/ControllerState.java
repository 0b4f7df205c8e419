package io.tern.controller.state;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The controller's replicated state: every broker group ({@link GroupState}). Deterministic: the same committed
 * {@link Command}s in the same order give the same state on every peer; nothing here reads a clock or the network.
 *
 * <p>Thread-safe: {@link #apply} runs on the state machine's apply thread; readers take a {@link #toJson} copy.
 */
public final class ControllerState {
    private final TreeMap<String, GroupState> groups = new TreeMap<>();

    /** Applies one committed command; returns the group's state after it (or an error object for a bad one). */
    public synchronized JsonObject apply(JsonObject command) {
        String op = command.getString("op", "");
        String name = command.getString("group");
        if (name == null) {
            return new JsonObject().put("error", "command without group: " + op);
        }
        GroupState g = groups.get(name);
        switch (op) {
            case "register" -> {
                if (g == null) {
                    g = new GroupState(command.getString("cluster"), name);
                    groups.put(name, g);
                }
                g.replicas.put(command.getLong("replicaId"), new JsonObject()
                        .put("address", command.getString("address"))
                        .put("haAddress", command.getString("haAddress")));
            }
            case "elect" -> {
                long id = command.getLong("replicaId");
                if (g != null && g.epoch == command.getInteger("expectedEpoch") && g.replicas.containsKey(id)) {
                    g.masterId = id;
                    g.epoch++;
                    g.syncStateSet.clear();
                    g.syncStateSet.add(id);
                    g.syncStateSetEpoch++;
                }
            }
            case "syncStateSet" -> {
                long master = command.getLong("masterId");
                TreeSet<Long> set = new TreeSet<>();
                command.getJsonArray("set", new JsonArray()).forEach(id -> set.add(((Number) id).longValue()));
                if (g != null && g.masterId == master && g.epoch == command.getInteger("epoch")
                        && set.contains(master) && g.replicas.keySet().containsAll(set)
                        && !set.equals(g.syncStateSet)) {
                    g.syncStateSet.clear();
                    g.syncStateSet.addAll(set);
                    g.syncStateSetEpoch++;
                }
            }
            case "epochStart" -> {
                int epoch = command.getInteger("epoch");
                if (g != null && g.epoch == epoch && !g.epochStarts.containsKey(epoch)) {
                    g.putEpochStart(epoch, command.getLong("offset"));
                }
            }
            default -> {
                return new JsonObject().put("error", "unknown op " + op);
            }
        }
        return g == null ? new JsonObject().put("error", "no group " + name) : g.toJson();
    }

    /** One group's state, or null when no replica of it registered. */
    public synchronized JsonObject group(String name) {
        GroupState g = groups.get(name);
        return g == null ? null : g.toJson();
    }

    /** Every group, sorted by name; a copy. */
    public synchronized JsonArray groups() {
        JsonArray out = new JsonArray();
        groups.values().forEach(g -> out.add(g.toJson()));
        return out;
    }

    /** The whole state, for snapshots. */
    public synchronized JsonObject toJson() {
        return new JsonObject().put("groups", groups());
    }

    /** Replaces the whole state with a snapshot's. */
    public synchronized void load(JsonObject snapshot) {
        groups.clear();
        snapshot.getJsonArray("groups", new JsonArray()).forEach(o -> {
            GroupState g = GroupState.fromJson((JsonObject) o);
            groups.put(g.group, g);
        });
    }
}

package io.tern.controller.state;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.Collection;

/**
 * The entries of the controller's Raft log: every change of {@link ControllerState} is one of these, encoded as a
 * JSON object with an {@code op} field. Each is conditional where a race could make it stale (an election names
 * the epoch it replaces, a SyncStateSet change the master and epoch it comes from), so a command decided on old
 * information by a leader that since lost its place applies as a no-op.
 *
 * <pre>
 * {"op": "register", "cluster", "group", "replicaId", "address", "haAddress"}
 * {"op": "elect", "group", "replicaId", "expectedEpoch"}          master := replicaId, epoch + 1, set := {replicaId}
 * {"op": "syncStateSet", "group", "masterId", "epoch", "set": [ids]}
 * {"op": "epochStart", "group", "epoch", "offset"}               the new master's log end when it took the epoch
 * </pre>
 */
public final class Command {
    private Command() {
    }

    public static JsonObject register(String cluster, String group, long replicaId, String address,
                                      String haAddress) {
        return new JsonObject().put("op", "register").put("cluster", cluster).put("group", group)
                .put("replicaId", replicaId).put("address", address).put("haAddress", haAddress);
    }

    public static JsonObject elect(String group, long replicaId, int expectedEpoch) {
        return new JsonObject().put("op", "elect").put("group", group).put("replicaId", replicaId)
                .put("expectedEpoch", expectedEpoch);
    }

    public static JsonObject syncStateSet(String group, long masterId, int epoch, Collection<Long> set) {
        return new JsonObject().put("op", "syncStateSet").put("group", group).put("masterId", masterId)
                .put("epoch", epoch).put("set", new JsonArray(set.stream().map(Object.class::cast).toList()));
    }

    public static JsonObject epochStart(String group, int epoch, long offset) {
        return new JsonObject().put("op", "epochStart").put("group", group).put("epoch", epoch)
                .put("offset", offset);
    }

    public static byte[] encode(JsonObject command) {
        return command.encode().getBytes(StandardCharsets.UTF_8);
    }

    public static JsonObject decode(byte[] bytes) {
        return new JsonObject(new String(bytes, StandardCharsets.UTF_8));
    }
}

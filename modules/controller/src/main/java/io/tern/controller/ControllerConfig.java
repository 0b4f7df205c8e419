package io.tern.controller;

import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/**
 * Controller settings; the keys sit in the nameserver's section of the config (the controller runs inside
 * nameserver processes with {@code controllerEnabled}, or alone as the {@code controller} role). Every key is in
 * src-docs/configuration.md ("Controller").
 */
public final class ControllerConfig {
    /** A nameserver process also runs a controller peer. */
    public boolean controllerEnabled = false;
    /** Remoting port brokers send heartbeats to; 0 = ephemeral. */
    public int controllerListenPort = 9878;
    public String host = "0.0.0.0";
    /** The Raft group, "id-host:raftPort" separated by ';' (1 or 3 peers); empty = a group of this peer alone. */
    public String controllerPeers = "";
    /** This peer's id among controllerPeers. */
    public String controllerSelfId = "n0";
    /** Raft port of a group of one (controllerPeers empty); 0 = ephemeral. */
    public int controllerRaftPort = 9880;
    /** Raft log and snapshots; {@code ${user.home}} is expanded. */
    public String controllerStorePath = "${user.home}/tern-controller";
    /** A broker without a heartbeat for this long is dead; its group elects a new master if it was the master. */
    public long brokerHeartbeatTimeoutMs = 5_000;
    /** Elect a replica outside the SyncStateSet when no member is alive (may lose acknowledged messages). */
    public boolean allowUncleanElection = false;
    /** Raft log entries between two snapshots of the controller state. */
    public long controllerSnapshotThreshold = 10_000;
    /** How often the leader looks for dead masters. */
    public long controllerScanIntervalMs = 500;

    public static ControllerConfig fromJson(JsonObject json) {
        ControllerConfig c = new ControllerConfig();
        if (json == null) {
            return c;
        }
        c.controllerEnabled = bool(json, "controllerEnabled", c.controllerEnabled);
        c.controllerListenPort = (int) number(json, "controllerListenPort", c.controllerListenPort);
        c.host = json.getValue("host") == null ? c.host : json.getValue("host").toString();
        c.controllerPeers = string(json, "controllerPeers", c.controllerPeers);
        c.controllerSelfId = string(json, "controllerSelfId", c.controllerSelfId);
        c.controllerRaftPort = (int) number(json, "controllerRaftPort", c.controllerRaftPort);
        c.controllerStorePath = string(json, "controllerStorePath", c.controllerStorePath);
        c.brokerHeartbeatTimeoutMs = number(json, "brokerHeartbeatTimeoutMs", c.brokerHeartbeatTimeoutMs);
        c.allowUncleanElection = bool(json, "allowUncleanElection", c.allowUncleanElection);
        c.controllerSnapshotThreshold = number(json, "controllerSnapshotThreshold", c.controllerSnapshotThreshold);
        c.controllerScanIntervalMs = number(json, "controllerScanIntervalMs", c.controllerScanIntervalMs);
        return c;
    }

    private static String string(JsonObject json, String key, String dflt) {
        Object v = json.getValue(key);
        return v == null ? dflt : v.toString().trim();
    }

    private static long number(JsonObject json, String key, long dflt) {
        Object v = json.getValue(key);
        try {
            return v == null ? dflt : v instanceof Number n ? n.longValue() : Long.parseLong(v.toString().trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("config key " + key + ": not a number: '" + v + "'");
        }
    }

    private static boolean bool(JsonObject json, String key, boolean dflt) {
        Object v = json.getValue(key);
        return v == null ? dflt : v instanceof Boolean b ? b : Boolean.parseBoolean(v.toString().trim());
    }

    /** The Raft peers, "id-host:port" each; a group of one when controllerPeers is empty. */
    public List<Peer> peers() {
        List<Peer> out = new ArrayList<>();
        if (controllerPeers == null || controllerPeers.isBlank()) {
            out.add(new Peer(controllerSelfId, "127.0.0.1:" + controllerRaftPort));
            return out;
        }
        for (String p : controllerPeers.split(";")) {
            String s = p.trim();
            int dash = s.indexOf('-');
            if (dash <= 0 || s.lastIndexOf(':') < dash) {
                throw new IllegalArgumentException("controllerPeers: '" + s + "' is not id-host:port");
            }
            out.add(new Peer(s.substring(0, dash), s.substring(dash + 1)));
        }
        if (out.stream().noneMatch(peer -> peer.id().equals(controllerSelfId))) {
            throw new IllegalArgumentException("controllerSelfId " + controllerSelfId + " is not in controllerPeers");
        }
        return out;
    }

    public String resolvedStorePath() {
        return controllerStorePath.replace("${user.home}", System.getProperty("user.home"));
    }

    /** One Raft peer: its id and "host:port". */
    public record Peer(String id, String address) {
        public int port() {
            return Integer.parseInt(address.substring(address.lastIndexOf(':') + 1));
        }
    }
}

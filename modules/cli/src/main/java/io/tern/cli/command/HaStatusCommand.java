package io.tern.cli.command;

import io.tern.cli.AdminCommand;
import io.tern.cli.AdminException;
import io.tern.cli.AdminSession;
import io.tern.cli.Options;
import io.tern.cli.TextTable;
import io.tern.common.Json;
import io.tern.common.protocol.BrokerData;
import io.tern.common.protocol.ClusterInfo;
import io.tern.common.protocol.HaRuntimeInfo;
import io.tern.remoting.protocol.RemotingCommand;
import io.tern.remoting.protocol.RequestCode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Replication of broker groups (B:907 GET_BROKER_HA_STATUS): each broker's role, log end and master, then every
 * slave connected to a master with its acknowledged offset and lag in bytes and messages. Every broker of every
 * cluster by default; {@code -c} one cluster, {@code -b} one broker.
 */
public final class HaStatusCommand implements AdminCommand {
    @Override
    public String name() {
        return "haStatus";
    }

    @Override
    public String description() {
        return "print replication: roles, masters, slaves' acked offsets and lag (bytes, messages)";
    }

    @Override
    public String synopsis() {
        return "[-c clusterName | -b brokerAddr]";
    }

    @Override
    public Set<String> valueOptions() {
        return Set.of("-c", "-b");
    }

    @Override
    public int execute(AdminSession session, Options options) {
        List<Target> targets = targets(session, options);
        List<Map<String, Object>> rows = new ArrayList<>();
        for (Target t : targets) {
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("brokerName", t.brokerName);
            r.put("brokerId", t.brokerId);
            r.put("addr", t.addr);
            r.put("masterAddr", t.masterAddr);
            try {
                r.put("ha", status(session, t.addr));
            } catch (AdminException e) {
                r.put("error", e.getMessage()); // one unreachable broker should not hide the others
            }
            rows.add(r);
        }
        if (session.json()) {
            session.printJson(rows);
        } else {
            print(session, rows);
        }
        return rows.stream().anyMatch(r -> r.containsKey("error")) ? 1 : 0;
    }

    private static void print(AdminSession session, List<Map<String, Object>> rows) {
        TextTable brokers = new TextTable("#Broker", "#BID", "#Addr", "#Role", "#MaxOffset", "#Master", "#LagBytes");
        TextTable slaves = new TextTable("#Broker", "#SlaveId", "#SlaveAddr", "#AckedOffset", "#LagBytes",
                "#LagMessages", "#InSync");
        for (Map<String, Object> r : rows) {
            HaRuntimeInfo ha = (HaRuntimeInfo) r.get("ha");
            if (ha == null) {
                brokers.row(r.get("brokerName"), r.get("brokerId"), r.get("addr"), "error: " + r.get("error"), "-",
                        "-", "-");
                continue;
            }
            if (ha.master) {
                brokers.row(r.get("brokerName"), r.get("brokerId"), r.get("addr"), ha.brokerRole,
                        ha.masterCommitLogMaxOffset, "-", "-");
                for (HaRuntimeInfo.Connection c : ha.haConnectionInfo) {
                    slaves.row(r.get("brokerName"), c.brokerId < 0 ? "-" : c.brokerId, c.addr,
                            c.streaming ? c.slaveAckOffset : "-", c.diff, c.diffMessages < 0 ? "-" : c.diffMessages,
                            c.inSync);
                }
            } else {
                HaRuntimeInfo.Client c = ha.haClientRuntimeInfo;
                Object master = r.get("masterAddr") != null ? r.get("masterAddr")
                        : c != null && c.masterAddr != null ? c.masterAddr : "-";
                boolean connected = c != null && c.isActivated;
                brokers.row(r.get("brokerName"), r.get("brokerId"), r.get("addr"), ha.brokerRole,
                        c == null ? ha.masterCommitLogMaxOffset : c.maxOffset,
                        connected ? master : master + " (not connected)",
                        c == null || c.diff < 0 ? "-" : c.diff);
            }
        }
        brokers.print(session.out());
        if (slaves.size() > 0) {
            session.out().println();
            slaves.print(session.out());
        }
    }

    static HaRuntimeInfo status(AdminSession session, String brokerAddr) {
        RemotingCommand resp = AdminSession.expectSuccess(session.callBroker(brokerAddr,
                RemotingCommand.request(RequestCode.GET_BROKER_HA_STATUS)), "replication status of broker " + brokerAddr);
        return Json.fromBytes(resp.bodyBytes(), HaRuntimeInfo.class);
    }

    private static List<Target> targets(AdminSession session, Options options) {
        if (options.has("-b")) {
            return List.of(new Target("-", "-", options.get("-b"), null));
        }
        String cluster = options.get("-c");
        ClusterInfo info = session.clusterInfo();
        if (cluster != null && !info.clusterAddrTable.containsKey(cluster)) {
            throw new AdminException("cluster " + cluster + " is unknown to the nameserver; known: "
                    + info.clusterAddrTable.keySet());
        }
        List<Target> out = new ArrayList<>();
        for (var e : info.clusterAddrTable.entrySet()) {
            if (cluster != null && !cluster.equals(e.getKey())) {
                continue;
            }
            for (String brokerName : e.getValue()) {
                BrokerData bd = info.brokerAddrTable.get(brokerName);
                if (bd == null) {
                    continue;
                }
                String master = bd.brokerAddrs.get(0L);
                bd.brokerAddrs.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(a -> out.add(
                        new Target(brokerName, a.getKey(), a.getValue(), a.getKey() == 0 ? null : master)));
            }
        }
        if (out.isEmpty()) {
            throw new AdminException("no broker found" + (cluster == null ? "" : " in cluster " + cluster));
        }
        return out;
    }

    /** One broker to ask; {@code masterAddr} is a slave's master as the nameserver lists it (null if none). */
    private record Target(String brokerName, Object brokerId, String addr, String masterAddr) {
    }
}

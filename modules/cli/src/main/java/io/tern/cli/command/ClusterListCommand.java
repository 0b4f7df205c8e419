package io.tern.cli.command;

import io.tern.cli.AdminCommand;
import io.tern.cli.AdminException;
import io.tern.cli.AdminSession;
import io.tern.cli.Options;
import io.tern.cli.TextTable;
import io.tern.common.protocol.BrokerData;
import io.tern.common.protocol.ClusterInfo;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Clusters, their brokers and each broker's traffic (N:106, then B:28 per broker address). */
public final class ClusterListCommand implements AdminCommand {
    @Override
    public String name() {
        return "clusterList";
    }

    @Override
    public String description() {
        return "list clusters and brokers with version, message totals and TPS";
    }

    @Override
    public String synopsis() {
        return "";
    }

    @Override
    public Set<String> valueOptions() {
        return Set.of();
    }

    @Override
    public int execute(AdminSession session, Options options) {
        ClusterInfo info = session.clusterInfo();
        List<Map<String, Object>> rows = new ArrayList<>();
        for (var cluster : info.clusterAddrTable.entrySet()) {
            for (String brokerName : cluster.getValue()) {
                BrokerData bd = info.brokerAddrTable.get(brokerName);
                if (bd == null) {
                    continue;
                }
                for (var addr : bd.brokerAddrs.entrySet()) {
                    rows.add(row(session, cluster.getKey(), brokerName, addr.getKey(), addr.getValue()));
                }
            }
        }
        if (session.json()) {
            session.printJson(rows);
            return 0;
        }
        TextTable table = new TextTable("#Cluster", "#Broker", "#BID", "#Addr", "#Version", "#InTPS", "#OutTPS",
                "#PutTotal", "#GetTotal");
        for (Map<String, Object> r : rows) {
            table.row(r.get("cluster"), r.get("brokerName"), r.get("brokerId"), r.get("addr"),
                    r.getOrDefault("version", "-"), r.getOrDefault("inTps", "-"), r.getOrDefault("outTps", "-"),
                    r.getOrDefault("putTotal", "-"), r.getOrDefault("getTotal", "-"));
        }
        table.print(session.out());
        return 0;
    }

    private static Map<String, Object> row(AdminSession session, String cluster, String brokerName, long brokerId,
                                           String addr) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("cluster", cluster);
        r.put("brokerName", brokerName);
        r.put("brokerId", brokerId);
        r.put("addr", addr);
        try {
            Map<String, String> stats = BrokerStatusCommand.runtimeInfo(session, addr);
            r.put("version", stats.getOrDefault("brokerVersionDesc", "-"));
            r.put("inTps", firstOf(stats.get("putTps")));
            r.put("outTps", firstOf(stats.get("getTransferedTps")));
            r.put("putTotal", stats.getOrDefault("msgPutTotalTodayNow", "-"));
            r.put("getTotal", stats.getOrDefault("msgGetTotalTodayNow", "-"));
        } catch (AdminException e) {
            // one unreachable broker should not hide the others
            r.put("error", e.getMessage());
        }
        return r;
    }

    /** TPS values are "10s 60s 600s": the first is the current rate. */
    private static String firstOf(String tps) {
        if (tps == null || tps.isBlank()) {
            return "-";
        }
        return tps.trim().split("\\s+")[0];
    }
}

package io.tern.cli.command;

import io.tern.cli.AdminSession;
import io.tern.common.protocol.ClusterInfo;
import io.tern.common.protocol.TopicRouteData;
import java.util.ArrayList;
import java.util.List;

/**
 * The brokers that serve a consumer group: those of its {@code %RETRY%group} route, as mqadmin asks. A group that
 * only committed offsets (no heartbeat yet) has no retry topic, so then every master of every cluster is asked.
 */
final class GroupBrokers {
    private GroupBrokers() {
    }

    static List<AdminSession.BrokerTarget> of(AdminSession session, String group) {
        TopicRouteData retry = session.routeOrNull("%RETRY%" + group);
        if (retry != null) {
            return AdminSession.masters(retry);
        }
        ClusterInfo info = session.clusterInfo();
        List<AdminSession.BrokerTarget> all = new ArrayList<>();
        info.brokerAddrTable.values().forEach(bd -> {
            String master = bd.brokerAddrs.get(0L);
            if (master != null) {
                all.add(new AdminSession.BrokerTarget(bd.brokerName, master));
            }
        });
        return all;
    }
}

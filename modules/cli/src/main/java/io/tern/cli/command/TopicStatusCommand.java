package io.tern.cli.command;

import io.tern.common.protocol.AdminBodies;

import io.tern.cli.AdminCommand;
import io.tern.cli.AdminSession;
import io.tern.cli.Bodies;
import io.tern.cli.Options;
import io.tern.cli.TextTable;
import io.tern.common.Json;
import io.tern.common.protocol.TopicRouteData;
import io.tern.remoting.protocol.RemotingCommand;
import io.tern.remoting.protocol.RequestCode;
import java.util.Set;

/** Per-queue offsets of a topic (N:105, then B:202 on each broker of the route). */
public final class TopicStatusCommand implements AdminCommand {
    @Override
    public String name() {
        return "topicStatus";
    }

    @Override
    public String description() {
        return "show min/max offset and last update time of every queue of a topic";
    }

    @Override
    public String synopsis() {
        return "-t topic";
    }

    @Override
    public Set<String> valueOptions() {
        return Set.of("-t");
    }

    @Override
    public void validate(Options options) {
        options.required("-t");
    }

    @Override
    public int execute(AdminSession session, Options options) {
        String topic = options.required("-t");
        TopicRouteData route = session.route(topic);
        AdminBodies.TopicStatsTable all = new AdminBodies.TopicStatsTable();
        for (AdminSession.BrokerTarget b : AdminSession.masters(route)) {
            RemotingCommand resp = AdminSession.expectSuccess(session.callBroker(b.addr(),
                    RemotingCommand.request(RequestCode.GET_TOPIC_STATS_INFO).put("topic", topic)),
                    "topic stats of " + topic + " on " + b.addr());
            all.offsetTable.putAll(Json.fromBytes(resp.bodyBytes(), AdminBodies.TopicStatsTable.class).offsetTable);
        }
        if (session.json()) {
            session.printJson(all.offsetTable.entrySet().stream().map(e -> java.util.Map.of(
                    "brokerName", e.getKey().brokerName, "queueId", e.getKey().queueId,
                    "minOffset", e.getValue().minOffset, "maxOffset", e.getValue().maxOffset,
                    "lastUpdateTimestamp", e.getValue().lastUpdateTimestamp)).toList());
            return 0;
        }
        TextTable table = new TextTable("#Broker Name", "#QID", "#Min Offset", "#Max Offset", "#Last Updated");
        all.offsetTable.forEach((mq, o) -> table.row(mq.brokerName, mq.queueId, o.minOffset, o.maxOffset,
                Times.format(o.lastUpdateTimestamp)));
        table.print(session.out());
        return 0;
    }
}

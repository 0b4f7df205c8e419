package io.tern.cli.command;

import io.tern.common.protocol.AdminBodies;

import io.tern.cli.AdminCommand;
import io.tern.cli.AdminException;
import io.tern.cli.AdminSession;
import io.tern.cli.Bodies;
import io.tern.cli.Options;
import io.tern.cli.TextTable;
import io.tern.common.Json;
import io.tern.remoting.protocol.RemotingCommand;
import io.tern.remoting.protocol.RequestCode;
import io.tern.remoting.protocol.ResponseCode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A consumer group's progress: per queue the broker's max offset, the committed offset and the lag
 * (N:105 of %RETRY%group, then B:208 on each of its brokers).
 */
public final class ConsumerProgressCommand implements AdminCommand {
    @Override
    public String name() {
        return "consumerProgress";
    }

    @Override
    public String description() {
        return "show a consumer group's offsets and lag per queue, and the total lag";
    }

    @Override
    public String synopsis() {
        return "-g group [-t topic]";
    }

    @Override
    public Set<String> valueOptions() {
        return Set.of("-g", "-t");
    }

    @Override
    public void validate(Options options) {
        options.required("-g");
    }

    @Override
    public int execute(AdminSession session, Options options) {
        String group = options.required("-g");
        AdminBodies.ConsumeStats all = new AdminBodies.ConsumeStats();
        for (AdminSession.BrokerTarget b : GroupBrokers.of(session, group)) {
            RemotingCommand resp = session.callBroker(b.addr(), RemotingCommand.request(RequestCode.GET_CONSUME_STATS)
                    .put("consumerGroup", group).put("topic", options.get("-t")));
            if (resp.code() == ResponseCode.SUBSCRIPTION_GROUP_NOT_EXIST || resp.code() == ResponseCode.TOPIC_NOT_EXIST) {
                continue;
            }
            AdminSession.expectSuccess(resp, "consume stats of " + group + " on " + b.addr());
            AdminBodies.ConsumeStats stats = Json.fromBytes(resp.bodyBytes(), AdminBodies.ConsumeStats.class);
            all.offsetTable.putAll(stats.offsetTable);
            all.consumeTps += stats.consumeTps;
        }
        if (all.offsetTable.isEmpty()) {
            throw new AdminException("consumer group " + group + " has no consume progress on any broker");
        }
        long totalLag = 0;
        List<Map<String, Object>> rows = new ArrayList<>();
        for (var e : all.offsetTable.entrySet()) {
            AdminBodies.OffsetWrapper w = e.getValue();
            long lag = Math.max(0, w.brokerOffset - w.consumerOffset);
            totalLag += lag;
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("topic", e.getKey().topic);
            r.put("brokerName", e.getKey().brokerName);
            r.put("queueId", e.getKey().queueId);
            r.put("brokerOffset", w.brokerOffset);
            r.put("consumerOffset", w.consumerOffset);
            r.put("lag", lag);
            r.put("lastTimestamp", w.lastTimestamp);
            rows.add(r);
        }
        if (session.json()) {
            Map<String, Object> doc = new LinkedHashMap<>();
            doc.put("group", group);
            doc.put("queues", rows);
            doc.put("consumeTps", all.consumeTps);
            doc.put("totalLag", totalLag);
            session.printJson(doc);
            return 0;
        }
        TextTable table = new TextTable("#Topic", "#Broker Name", "#QID", "#Broker Offset", "#Consumer Offset",
                "#Diff", "#LastTime");
        for (Map<String, Object> r : rows) {
            table.row(r.get("topic"), r.get("brokerName"), r.get("queueId"), r.get("brokerOffset"),
                    r.get("consumerOffset"), r.get("lag"), Times.format((Long) r.get("lastTimestamp")));
        }
        table.print(session.out());
        session.out().println();
        session.out().printf("Consume TPS: %.2f%n", all.consumeTps);
        session.out().println("Diff Total: " + totalLag);
        return 0;
    }
}

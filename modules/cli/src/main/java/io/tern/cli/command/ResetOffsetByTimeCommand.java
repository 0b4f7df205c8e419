package io.tern.cli.command;

import io.tern.cli.AdminCommand;
import io.tern.cli.AdminSession;
import io.tern.cli.Bodies;
import io.tern.cli.Options;
import io.tern.cli.TextTable;
import io.tern.cli.UsageException;
import io.tern.common.Json;
import io.tern.common.protocol.MessageQueue;
import io.tern.common.protocol.TopicRouteData;
import io.tern.remoting.protocol.RemotingCommand;
import io.tern.remoting.protocol.RequestCode;
import io.tern.remoting.protocol.ResponseCode;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Moves a consumer group's offsets of a topic to the first message stored at or after a time: N:105, then B:222 on
 * each broker of the topic, which commits the offsets and tells the online clients (online, offline, and groups
 * that never committed alike). A broker that answers CONSUMER_NOT_ONLINE instead (RocketMQ 4.x) is served like
 * mqadmin does: the offsets are searched (B:29) and committed (B:15) directly.
 */
public final class ResetOffsetByTimeCommand implements AdminCommand {
    static final long TO_END = -1;

    @Override
    public String name() {
        return "resetOffsetByTime";
    }

    @Override
    public String description() {
        return "reset a consumer group's offsets of a topic to a point in time";
    }

    @Override
    public String synopsis() {
        return "-g group -t topic -s timestampMs|now|yyyy-MM-ddTHH:mm:ss [-f force=true]";
    }

    @Override
    public Set<String> valueOptions() {
        return Set.of("-g", "-t", "-s", "-f");
    }

    @Override
    public void validate(Options options) {
        options.required("-g");
        options.required("-t");
        if (Times.parse(options.required("-s")) == null) {
            throw new UsageException("-s is not a timestamp in ms, 'now' or yyyy-MM-ddTHH:mm:ss: " + options.get("-s"));
        }
    }

    @Override
    public int execute(AdminSession session, Options options) {
        String group = options.required("-g");
        String topic = options.required("-t");
        // "now" means the end of every queue: -1 is the broker's "max offset" value (a by-time search would stop
        // at the last stored message instead of after it)
        boolean toEnd = options.required("-s").trim().equalsIgnoreCase("now");
        long timestamp = toEnd ? TO_END : Times.parse(options.required("-s"));
        boolean force = Boolean.parseBoolean(options.get("-f", "true"));
        TopicRouteData route = session.route(topic);
        Map<MessageQueue, Long> offsets = new TreeMap<>();
        for (AdminSession.BrokerTarget b : AdminSession.masters(route)) {
            RemotingCommand resp = session.callBroker(b.addr(),
                    RemotingCommand.request(RequestCode.INVOKE_BROKER_TO_RESET_OFFSET).put("topic", topic)
                            .put("group", group).put("timestamp", timestamp).put("isForce", force));
            if (resp.code() == ResponseCode.CONSUMER_NOT_ONLINE) {
                offsets.putAll(resetOffline(session, b, route, group, topic, timestamp, force));
                continue;
            }
            AdminSession.expectSuccess(resp, "offset reset of " + group + " on " + b.addr());
            offsets.putAll(Json.fromBytes(resp.bodyBytes(), Bodies.ResetOffsetBody.class).offsetTable);
        }
        if (session.json()) {
            session.printJson(offsets.entrySet().stream().map(e -> Map.of("brokerName", e.getKey().brokerName,
                    "queueId", e.getKey().queueId, "offset", e.getValue())).toList());
            return 0;
        }
        session.out().println("reset offsets of group " + group + ", topic " + topic + " to "
                + (toEnd ? "the end of each queue" : timestamp <= 0 ? "the start of each queue"
                        : Times.format(timestamp) + " (" + timestamp + ")"));
        TextTable table = new TextTable("#Broker Name", "#QID", "#New Offset");
        offsets.forEach((mq, o) -> table.row(mq.brokerName, mq.queueId, o));
        table.print(session.out());
        return 0;
    }

    /** No client online: search the offset for the time and commit it per read queue (B:29 or B:30, B:15). */
    private static Map<MessageQueue, Long> resetOffline(AdminSession session, AdminSession.BrokerTarget b,
                                                        TopicRouteData route, String group, String topic,
                                                        long timestamp, boolean force) {
        int queues = route.queueDatas.stream().filter(q -> q.brokerName.equals(b.brokerName()))
                .mapToInt(q -> q.readQueueNums).findFirst().orElse(0);
        Map<MessageQueue, Long> result = new LinkedHashMap<>();
        for (int q = 0; q < queues; q++) {
            RemotingCommand search = timestamp == TO_END
                    ? RemotingCommand.request(RequestCode.GET_MAX_OFFSET).put("topic", topic).put("queueId", q)
                    : RemotingCommand.request(RequestCode.SEARCH_OFFSET_BY_TIMESTAMP).put("topic", topic)
                            .put("queueId", q).put("timestamp", timestamp);
            RemotingCommand found = AdminSession.expectSuccess(session.callBroker(b.addr(), search),
                    "offset search of " + topic + ":" + q + " on " + b.addr());
            long offset = Math.max(0, found.extLong("offset", 0));
            if (!force) {
                // without force an offset only moves backwards, as the broker does for online groups
                RemotingCommand committed = session.callBroker(b.addr(),
                        RemotingCommand.request(RequestCode.QUERY_CONSUMER_OFFSET).put("consumerGroup", group)
                                .put("topic", topic).put("queueId", q));
                if (committed.code() == ResponseCode.SUCCESS) {
                    offset = Math.min(offset, committed.extLong("offset", offset));
                }
            }
            AdminSession.expectSuccess(session.callBroker(b.addr(),
                    RemotingCommand.request(RequestCode.UPDATE_CONSUMER_OFFSET).put("consumerGroup", group)
                            .put("topic", topic).put("queueId", q).put("commitOffset", offset)),
                    "offset commit of " + group + " " + topic + ":" + q + " on " + b.addr());
            result.put(new MessageQueue(topic, b.brokerName(), q), offset);
        }
        return result;
    }
}

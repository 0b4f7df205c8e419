package io.tern.broker.relay;

import io.tern.broker.BrokerConfig;
import io.tern.broker.client.ClientChannel;
import io.tern.broker.client.ConsumerGroupInfo;
import io.tern.broker.client.ConsumerRegistry;
import io.tern.broker.config.ConsumerOffsetManager;
import io.tern.broker.config.TopicConfigManager;
import io.tern.common.Json;
import io.tern.common.protocol.MessageQueue;
import io.tern.common.protocol.TopicConfig;
import io.tern.remoting.RemotingChannel;
import io.tern.remoting.protocol.RemotingCommand;
import io.tern.remoting.protocol.RequestCode;
import io.tern.remoting.protocol.ResponseCode;
import io.tern.store.MessageStore;
import io.vertx.core.Future;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * INVOKE_BROKER_TO_RESET_OFFSET (222), spec 3.5.4 / 3.7 ("resetOffsetByTime"): computes for each write queue of the
 * topic the offset of the first message stored at or after {@code timestamp} (−1 = the queue's end), keeps the
 * group's committed offset where it is already lower unless {@code isForce}, and sends
 * RESET_CONSUMER_CLIENT_OFFSET (220, oneway) with these offsets to every online consumer of the group, which
 * resets and persists them. Like the reference the broker does not commit the offsets itself; with no consumer
 * online the answer is CONSUMER_NOT_ONLINE and mqadmin falls back to rewriting the offsets with
 * UPDATE_CONSUMER_OFFSET.
 *
 * <p>Runs on the event loop: offset look-ups read mapped pages, the relays are oneway writes.
 */
public final class ResetOffsetProcessor {
    private final BrokerConfig config;
    private final MessageStore store;
    private final TopicConfigManager topics;
    private final ConsumerOffsetManager offsets;
    private final ConsumerRegistry consumers;

    public ResetOffsetProcessor(BrokerConfig config, MessageStore store, TopicConfigManager topics,
                                ConsumerOffsetManager offsets, ConsumerRegistry consumers) {
        this.config = config;
        this.store = store;
        this.topics = topics;
        this.offsets = offsets;
        this.consumers = consumers;
    }

    /** Body of 222's answer and of 220: {@code {"offsetTable":{<MessageQueue>:offset}}}. */
    public static final class ResetOffsetBody {
        public Map<MessageQueue, Long> offsetTable = new TreeMap<>();
    }

    public Future<RemotingCommand> process(RemotingChannel conn, RemotingCommand req) {
        String topic = req.required("topic");
        String group = req.required("group");
        long timestamp = req.requiredLong("timestamp");
        boolean force = req.extBool("isForce");
        TopicConfig tc = topics.get(topic);
        if (tc == null) {
            return answer(req, ResponseCode.SYSTEM_ERROR,
                    "[reset-offset] reset offset failed, no topic in this broker. topic=" + topic);
        }
        ResetOffsetBody offsets = new ResetOffsetBody();
        for (int q = 0; q < tc.writeQueueNums; q++) {
            long committed = this.offsets.query(group, topic, q);
            if (committed < 0) {
                return answer(req, ResponseCode.SYSTEM_ERROR, "THe consumer group <" + group + "> not exist");
            }
            long target = timestamp == -1 ? store.maxOffsetInQueue(topic, q)
                    : store.offsetInQueueByTime(topic, q, timestamp);
            target = Math.max(0, target);
            offsets.offsetTable.put(new MessageQueue(topic, config.brokerName, q),
                    force || target < committed ? target : committed);
        }
        ConsumerGroupInfo info = consumers.group(group);
        List<ClientChannel> channels = info == null ? List.of() : info.channels();
        if (channels.isEmpty()) {
            return answer(req, ResponseCode.CONSUMER_NOT_ONLINE, "Consumer not online, so can not reset offset, Group: "
                    + group + " Topic: " + topic + " Timestamp: " + timestamp);
        }
        byte[] body = Json.toBytes(offsets);
        for (ClientChannel c : channels) {
            c.connection.oneway(RemotingCommand.onewayRequest(RequestCode.RESET_CONSUMER_CLIENT_OFFSET)
                    .put("topic", topic).put("group", group).put("timestamp", timestamp).put("isForce", force)
                    .body(body));
        }
        return Future.succeededFuture(RemotingCommand.successTo(req).body(body));
    }

    private static Future<RemotingCommand> answer(RemotingCommand req, int code, String remark) {
        return Future.succeededFuture(RemotingCommand.responseTo(req, code, remark));
    }
}

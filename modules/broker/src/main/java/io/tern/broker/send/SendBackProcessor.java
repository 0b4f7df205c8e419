package io.tern.broker.send;

import io.tern.broker.BrokerAddress;
import io.tern.broker.BrokerConfig;
import io.tern.broker.config.SubscriptionGroupConfig;
import io.tern.broker.config.SubscriptionGroupManager;
import io.tern.broker.config.TopicConfigManager;
import io.tern.broker.message.StoredRecord;
import io.tern.common.message.MessageConst;
import io.tern.common.message.MessageIds;
import io.tern.common.message.ParsedProperties;
import io.tern.common.message.TagCodes;
import io.tern.common.protocol.PermName;
import io.tern.common.protocol.SystemNames;
import io.tern.remoting.RemotingChannel;
import io.tern.remoting.protocol.RemotingCommand;
import io.tern.remoting.protocol.ResponseCode;
import io.tern.store.MessageStore;
import io.tern.store.StoreMessage;
import io.vertx.core.Future;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * CONSUMER_SEND_MSG_BACK (36), spec 3.4.6: a message the consumer failed to process is copied to
 * {@code %RETRY%<group>} with a delay of level {@code 3 + reconsumeTimes} (via SCHEDULE_TOPIC_XXXX), or to
 * {@code %DLQ%<group>} once it was retried {@code maxReconsumeTimes} times. Runs on the event loop.
 */
public final class SendBackProcessor {
    private static final int VERSION_WITH_MAX_RECONSUME_TIMES = 121;
    private static final int PERM_RW = PermName.PERM_READ | PermName.PERM_WRITE;

    private final BrokerConfig config;
    private final BrokerAddress address;
    private final MessageStore store;
    private final TopicConfigManager topics;
    private final SubscriptionGroupManager groups;

    public SendBackProcessor(BrokerConfig config, BrokerAddress address, MessageStore store,
                             TopicConfigManager topics, SubscriptionGroupManager groups) {
        this.config = config;
        this.address = address;
        this.store = store;
        this.topics = topics;
        this.groups = groups;
    }

    public Future<RemotingCommand> process(RemotingChannel conn, RemotingCommand req) {
        String group = req.required("group");
        long offset = req.requiredLong("offset");
        int delayLevel = req.requiredInt("delayLevel");
        SubscriptionGroupConfig gc = groups.findOrCreate(group);
        if (gc == null) {
            return error(req, ResponseCode.SUBSCRIPTION_GROUP_NOT_EXIST, "subscription group not exist, " + group);
        }
        if (!PermName.isWriteable(config.brokerPermission)) {
            return error(req, ResponseCode.NO_PERMISSION,
                    "the broker[" + address.hostPort() + "] sending message is forbidden");
        }
        if (gc.retryQueueNums <= 0) {
            return Future.succeededFuture(RemotingCommand.successTo(req));
        }
        String retryTopic = SystemNames.retryTopic(group);
        topics.createIfAbsent(retryTopic, gc.retryQueueNums, PERM_RW, 0);
        ByteBuffer record = store.messageAt(offset);
        if (record == null) {
            return error(req, ResponseCode.SYSTEM_ERROR, "look message by offset failed, " + offset);
        }
        StoredRecord msg = StoredRecord.decode(record);
        ParsedProperties props = ParsedProperties.parse(msg.properties());
        props.putIfAbsent(MessageConst.RETRY_TOPIC, msg.topic());

        String ext = req.ext("maxReconsumeTimes");
        int max = ext != null && req.version() >= VERSION_WITH_MAX_RECONSUME_TIMES
                ? req.extInt("maxReconsumeTimes", gc.retryMaxTimes) : gc.retryMaxTimes;
        String topic = retryTopic;
        int queueId = ThreadLocalRandom.current().nextInt(gc.retryQueueNums);
        int level = delayLevel == 0 ? 3 + msg.reconsumeTimes() : delayLevel;
        if (msg.reconsumeTimes() >= max || delayLevel < 0) {
            topic = SystemNames.dlqTopic(group);
            topics.createIfAbsent(topic, 1, PERM_RW, 0);
            queueId = 0;
            level = 0;
        }
        if (props.get(MessageConst.ORIGIN_MESSAGE_ID) == null) {
            props.put(MessageConst.ORIGIN_MESSAGE_ID,
                    MessageIds.offsetMsgId(msg.storeHost(), msg.storePort(), msg.physicalOffset()));
        }
        props.put(MessageConst.WAIT_STORE_MSG_OK, "false");
        props.remove(MessageConst.DELAY_TIME_LEVEL);

        StoreMessage m = msg.rewrite(address.hostBytes(), address.port());
        m.topic = topic;
        m.queueId = queueId;
        m.reconsumeTimes = msg.reconsumeTimes() + 1;
        m.tagsCode = TagCodes.of(props.tags());
        if (level > 0) {
            props.put(MessageConst.DELAY_TIME_LEVEL, String.valueOf(Math.min(level, DelayLevels.maxLevel())));
            StoreMessageBuilder.toScheduled(m, props, level);
        }
        m.withProperties(props);
        return Future.fromCompletionStage(store.put(m), conn.context()).map(result -> result.isStored()
                ? RemotingCommand.successTo(req)
                : RemotingCommand.responseTo(req, ResponseCode.SYSTEM_ERROR, result.status().name()));
    }

    private static Future<RemotingCommand> error(RemotingCommand req, int code, String remark) {
        return Future.succeededFuture(RemotingCommand.responseTo(req, code, remark));
    }
}

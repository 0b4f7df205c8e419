package io.tern.broker.retry;

import io.tern.broker.BrokerServices;
import io.tern.broker.config.SubscriptionGroupConfig;
import io.tern.broker.message.MessageCopy;
import io.tern.broker.message.StoredRecord;
import io.tern.broker.schedule.DelayLevelTable;
import io.tern.broker.schedule.ScheduledRewrite;
import io.tern.common.message.MessageConst;
import io.tern.common.message.MessageProperties;
import io.tern.common.protocol.PermName;
import io.tern.common.protocol.SystemNames;
import io.tern.common.protocol.TopicConfig;
import io.tern.remoting.ProcessorTable;
import io.tern.remoting.RemotingConnection;
import io.tern.remoting.protocol.RemotingCommand;
import io.tern.remoting.protocol.RequestCode;
import io.tern.remoting.protocol.ResponseCode;
import io.tern.store.PutResult;
import io.tern.store.StoreMessage;
import io.vertx.core.Future;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * CONSUMER_SEND_MSG_BACK (36), spec 3.4.6: a consumer that failed to consume a message hands it back; the broker
 * stores a copy in {@code %RETRY%<group>} behind delay level {@code 3 + reconsumeTimes} (or the level asked for),
 * with {@code reconsumeTimes + 1}, or — after {@code maxReconsumeTimes} failures or for delayLevel &lt; 0 — in
 * {@code %DLQ%<group>} (one queue, created on demand).
 *
 * <p>Runs on the event loop: the original is read from mapped pages, the copy handed to the store writer.
 */
public final class SendMessageBackProcessor {
    /** The reference honours the header's maxReconsumeTimes only from clients at or above V3_4_9. */
    static final int VERSION_WITH_MAX_RECONSUME_TIMES = 121;
    private static final int PERM_RW = PermName.PERM_READ | PermName.PERM_WRITE;

    private final BrokerServices broker;
    private final DelayLevelTable levels;

    public SendMessageBackProcessor(BrokerServices broker, DelayLevelTable levels) {
        this.broker = broker;
        this.levels = levels;
    }

    public void register(ProcessorTable table) {
        table.register(RequestCode.CONSUMER_SEND_MSG_BACK, this::process);
    }

    public Future<RemotingCommand> process(RemotingConnection conn, RemotingCommand req) {
        long offset = req.requiredLong("offset");
        String group = req.required("group");
        int delayLevel = req.requiredInt("delayLevel");

        SubscriptionGroupConfig gc = broker.groups.findOrCreate(group);
        if (gc == null) {
            return answer(req, ResponseCode.SUBSCRIPTION_GROUP_NOT_EXIST, "subscription group not exist, " + group);
        }
        if (!PermName.isWriteable(broker.config.brokerPermission)) {
            return answer(req, ResponseCode.NO_PERMISSION, "the broker[" + broker.brokerAddr
                    + "] sending message is forbidden");
        }
        if (gc.retryQueueNums <= 0) {
            return Future.succeededFuture(RemotingCommand.successTo(req));
        }
        String retryTopic = SystemNames.retryTopic(group);
        TopicConfig retry = broker.topics.createIfAbsent(retryTopic, gc.retryQueueNums, PERM_RW, 0);
        if (!PermName.isWriteable(retry.perm)) {
            return answer(req, ResponseCode.NO_PERMISSION, "the topic[" + retryTopic + "] sending message is forbidden");
        }
        ByteBuffer stored = broker.store.messageAt(offset);
        if (stored == null) {
            return answer(req, ResponseCode.SYSTEM_ERROR, "look message by offset failed, " + offset);
        }
        StoredRecord original = StoredRecord.decode(stored);
        Map<String, String> props = original.propertyMap();
        props.putIfAbsent(MessageConst.RETRY_TOPIC, original.topic());
        props.put(MessageConst.WAIT_STORE_MSG_OK, "false");
        String originId = props.get(MessageConst.ORIGIN_MESSAGE_ID);
        if (originId == null || originId.isBlank()) {
            props.put(MessageConst.ORIGIN_MESSAGE_ID, original.offsetMsgId());
        }
        int max = req.ext("maxReconsumeTimes") != null && req.version() >= VERSION_WITH_MAX_RECONSUME_TIMES
                ? req.extInt("maxReconsumeTimes", gc.retryMaxTimes) : gc.retryMaxTimes;

        StoreMessage copy;
        if (original.reconsumeTimes() >= max || delayLevel < 0) {
            String dlq = SystemNames.dlqTopic(group);
            broker.topics.createIfAbsent(dlq, 1, PERM_RW, 0);
            // a DELAY left from an earlier retry must not hold the dead letter back
            props.remove(MessageConst.DELAY_TIME_LEVEL);
            copy = MessageCopy.of(broker, original, dlq, 0, MessageProperties.encode(props));
        } else {
            int level = delayLevel == 0 ? 3 + original.reconsumeTimes() : delayLevel;
            int queueId = ThreadLocalRandom.current().nextInt(Math.max(1, retry.writeQueueNums));
            copy = MessageCopy.of(broker, original, retryTopic, queueId, null);
            ScheduledRewrite.apply(copy, props, level, levels);
            copy.properties = MessageProperties.encode(props);
        }
        copy.reconsumeTimes = original.reconsumeTimes() + 1;
        return Future.fromCompletionStage(broker.store.put(copy), conn.context()).map(put -> {
            if (put.isStored()) {
                return RemotingCommand.successTo(req);
            }
            return RemotingCommand.responseTo(req, ResponseCode.SYSTEM_ERROR, status(put));
        });
    }

    private static String status(PutResult put) {
        return put.remark() == null ? put.status().name() : put.status().name() + ": " + put.remark();
    }

    private static Future<RemotingCommand> answer(RemotingCommand req, int code, String remark) {
        return Future.succeededFuture(RemotingCommand.responseTo(req, code, remark));
    }
}

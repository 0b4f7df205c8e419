package io.tern.client.impl;

import io.tern.client.TernMessage;
import io.tern.common.message.MessageConst;
import io.tern.common.message.MessageProperties;
import io.tern.common.protocol.MessageQueue;
import io.tern.common.protocol.SystemNames;
import io.tern.remoting.protocol.RemotingCommand;
import io.tern.remoting.protocol.RequestCode;
import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds SEND_MESSAGE_V2 (310) and SEND_BATCH_MESSAGE (320) requests (spec 3.3.1, 5.1, 5.2) with the one-letter
 * header of the V2 codec:
 *
 * <pre>
 *  a producerGroup   b topic          c defaultTopic (TBW102)   d defaultTopicQueueNums (4)
 *  e queueId         f sysFlag        g bornTimestamp           h flag
 *  i properties      j reconsumeTimes k unitMode                m batch     n brokerName
 * </pre>
 *
 * A batch body is one record per message:
 *
 * <pre>
 *  +-----------+-----------+---------+------+----------+------+----------------+------------+
 *  | TOTALSIZE | MAGICCODE | BODYCRC | FLAG | BODY len | BODY | PROPERTIES len | PROPERTIES |
 *  | int       | int = 0   | int = 0 | int  | int      | n    | short          | m          |
 *  +-----------+-----------+---------+------+----------+------+----------------+------------+
 *  TOTALSIZE = 22 + n + m
 * </pre>
 *
 * Stateless.
 */
final class SendRequestEncoder {
    static final int MAX_MESSAGE_BYTES = 4 * 1024 * 1024;
    private static final int BATCH_RECORD_OVERHEAD = 22;

    /** A message's body and properties prepared once, sent by each attempt. */
    /**
     * A message's body and properties prepared once, sent by each attempt. {@code reconsumeTimes} and
     * {@code maxReconsumeTimes} (-1 = absent) come from the RECONSUME_TIME / MAX_RECONSUME_TIMES properties, which
     * travel in headers j and l instead, as with the official producer.
     */
    record PreparedMessage(String topic, byte[] body, int sysFlag, int flag, String properties, String uniqKey,
                           int reconsumeTimes, int maxReconsumeTimes) {
    }

    static PreparedMessage prepare(TernMessage msg, String uniqKey, boolean mayCompress) {
        validate(msg);
        byte[] body = msg.body().getBytes();
        int sysFlag = 0;
        if (mayCompress && body.length >= BodyCompression.COMPRESS_OVER_BYTES) {
            byte[] compressed = BodyCompression.compress(body);
            body = compressed;
            sysFlag = BodyCompression.ZLIB_SYS_FLAG;
        }
        Map<String, String> props = properties(msg, uniqKey);
        int reconsumeTimes = intProperty(props.remove(MessageConst.RECONSUME_TIME), 0);
        int maxReconsumeTimes = intProperty(props.remove(MessageConst.MAX_RECONSUME_TIMES), -1);
        return new PreparedMessage(msg.topic(), body, sysFlag, msg.flag(), MessageProperties.encode(props),
                props.get(MessageConst.UNIQ_KEY), reconsumeTimes, maxReconsumeTimes);
    }

    private static int intProperty(String value, int absent) {
        try {
            return value == null ? absent : Integer.parseInt(value);
        } catch (NumberFormatException e) {
            return absent;
        }
    }

    static void validate(TernMessage msg) {
        String topic = msg.topic();
        if (topic.isBlank() || topic.length() > 127 || !topic.matches("[%|a-zA-Z0-9_-]+")) {
            throw new IllegalArgumentException("topic must be 1-127 characters of [%|a-zA-Z0-9_-]: '" + topic + "'");
        }
        if (msg.body().length() == 0) {
            throw new IllegalArgumentException("message body is empty");
        }
        if (msg.body().length() > MAX_MESSAGE_BYTES) {
            throw new IllegalArgumentException("message body is " + msg.body().length() + " bytes, more than "
                    + MAX_MESSAGE_BYTES);
        }
    }

    /** The properties string in the 4.9 client's order: user properties, KEYS, UNIQ_KEY, WAIT, TAGS, DELAY. */
    static Map<String, String> properties(TernMessage msg, String uniqKey) {
        Map<String, String> props = new LinkedHashMap<>(msg.properties());
        if (!msg.keys().isEmpty()) {
            props.put(MessageConst.KEYS, String.join(" ", msg.keys()));
        }
        props.putIfAbsent(MessageConst.UNIQ_KEY, uniqKey);
        props.put(MessageConst.WAIT_STORE_MSG_OK, "true");
        if (msg.tags() != null && !msg.tags().isEmpty()) {
            props.put(MessageConst.TAGS, msg.tags());
        }
        if (msg.delayLevel() > 0) {
            props.put(MessageConst.DELAY_TIME_LEVEL, String.valueOf(msg.delayLevel()));
        }
        return props;
    }

    static RemotingCommand single(String group, PreparedMessage m, MessageQueue mq, boolean oneway) {
        RemotingCommand cmd = oneway ? RemotingCommand.onewayRequest(RequestCode.SEND_MESSAGE_V2)
                : RemotingCommand.request(RequestCode.SEND_MESSAGE_V2);
        header(cmd, group, mq, m.sysFlag(), m.flag(), m.properties(), false);
        cmd.put("j", m.reconsumeTimes());
        if (m.maxReconsumeTimes() >= 0) {
            cmd.put("l", m.maxReconsumeTimes());
        }
        return cmd.body(m.body());
    }

    static RemotingCommand batch(String group, List<PreparedMessage> messages, MessageQueue mq) {
        RemotingCommand cmd = RemotingCommand.request(RequestCode.SEND_BATCH_MESSAGE);
        header(cmd, group, mq, 0, 0, MessageConst.WAIT_STORE_MSG_OK + MessageProperties.NAME_VALUE_SEPARATOR + "true",
                true);
        Buffer body = Buffer.buffer();
        for (PreparedMessage m : messages) {
            byte[] props = m.properties().getBytes(StandardCharsets.UTF_8);
            if (props.length > Short.MAX_VALUE) {
                throw new IllegalArgumentException("properties of a message are longer than 32767 bytes");
            }
            body.appendInt(BATCH_RECORD_OVERHEAD + m.body().length + props.length)
                    .appendInt(0)
                    .appendInt(0)
                    .appendInt(m.flag())
                    .appendInt(m.body().length)
                    .appendBytes(m.body())
                    .appendShort((short) props.length)
                    .appendBytes(props);
        }
        return cmd.body(body);
    }

    private static void header(RemotingCommand cmd, String group, MessageQueue mq, int sysFlag, int flag,
                               String properties, boolean batch) {
        cmd.put("a", group)
                .put("b", mq.topic)
                .put("c", SystemNames.DEFAULT_TOPIC)
                .put("d", RouteCache.DEFAULT_TOPIC_QUEUE_NUMS)
                .put("e", mq.queueId)
                .put("f", sysFlag)
                .put("g", System.currentTimeMillis())
                .put("h", flag)
                .put("i", properties)
                .put("j", 0)
                .put("k", false)
                .put("m", batch)
                .put("n", mq.brokerName);
    }

    private SendRequestEncoder() {
    }
}

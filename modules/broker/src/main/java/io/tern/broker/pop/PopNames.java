package io.tern.broker.pop;

import io.tern.common.protocol.SystemNames;

/** Names and constants of pop consumption that the 5.x client and the reference broker share with us. */
final class PopNames {
    /** The group whose committed offset on the revive topic is the replay start (RocketMQ's revive group). */
    static final String REVIVE_GROUP = "CID_RMQ_SYS_REVIVE_GROUP";
    /** The revive queue id of every non-ordered checkpoint (Tern's revive topic has one queue). */
    static final int REVIVE_QUEUE_ID = 0;
    /** The revive queue id the client sees for an ordered pop (RocketMQ's KeyBuilder.POP_ORDER_REVIVE_QUEUE). */
    static final int ORDER_REVIVE_QUEUE_ID = 999;
    /** Property: when the message was first popped (kept on its retry copies). */
    static final String FIRST_POP_TIME = "1ST_POP_TIME";
    /** A pop never returns more than this many messages (the reference refuses larger requests). */
    static final int MAX_POP_NUMS = 32;

    /** The extra-info / offset-info marks of the topic a message was popped from. */
    static final String NORMAL = "0";
    static final String RETRY_V1 = "1";
    static final String RETRY_V2 = "2";

    private PopNames() {
    }

    /** rmq_sys_REVIVE_LOG_&lt;cluster&gt;: where checkpoints and acks are logged (see {@link ReviveLog}). */
    static String reviveTopic(String clusterName) {
        return SystemNames.SYSTEM_TOPIC_PREFIX + "REVIVE_LOG_" + clusterName;
    }

    /** %RETRY%&lt;group&gt;_&lt;topic&gt;: where a group's unacknowledged pops of a topic come back (V1 naming). */
    static String retryTopic(String topic, String group) {
        return SystemNames.RETRY_GROUP_TOPIC_PREFIX + group + "_" + topic;
    }

    /** The V2 spelling %RETRY%&lt;group&gt;+&lt;topic&gt;, accepted on acks. */
    static String retryTopicV2(String topic, String group) {
        return SystemNames.RETRY_GROUP_TOPIC_PREFIX + group + "+" + topic;
    }

    /** The mark the client reads back to tell a retry message from a normal one. */
    static String retryMark(String topic) {
        if (!topic.startsWith(SystemNames.RETRY_GROUP_TOPIC_PREFIX)) {
            return NORMAL;
        }
        return topic.indexOf('+') >= 0 ? RETRY_V2 : RETRY_V1;
    }

    /** The topic a batch-ack entry names, from its normal topic and mark. */
    static String realTopic(String topic, String group, String mark) {
        return switch (mark == null ? NORMAL : mark) {
            case RETRY_V1 -> retryTopic(topic, group);
            case RETRY_V2 -> retryTopicV2(topic, group);
            default -> topic;
        };
    }
}

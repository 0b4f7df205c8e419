package io.tern.broker.schedule;

import io.tern.common.message.MessageConst;
import io.tern.common.protocol.SystemNames;
import io.tern.store.StoreMessage;
import java.util.Map;

/**
 * The append-time rewrite of a delayed message (spec 6.7) for records the broker builds itself (retry copies):
 * REAL_TOPIC / REAL_QID keep the destination, the record goes to SCHEDULE_TOPIC_XXXX queue level−1. Sends take
 * the same path in {@code send.StoreMessageBuilder}.
 *
 * <p>Stateless.
 */
public final class ScheduledRewrite {
    private ScheduledRewrite() {
    }

    /** Rewrites {@code m} (whose properties the caller then encodes from {@code props}); level is clamped to 1..18. */
    public static void apply(StoreMessage m, Map<String, String> props, int level, DelayLevelTable levels) {
        int clamped = Math.max(1, Math.min(level, DelayLevelTable.SCHEDULE_QUEUES));
        props.put(MessageConst.DELAY_TIME_LEVEL, String.valueOf(clamped));
        props.put(MessageConst.REAL_TOPIC, m.topic);
        props.put(MessageConst.REAL_QUEUE_ID, String.valueOf(m.queueId));
        m.topic = SystemNames.SCHEDULE_TOPIC;
        m.queueId = clamped - 1;
        m.tagsCode = System.currentTimeMillis() + levels.delayMs(clamped);
    }
}

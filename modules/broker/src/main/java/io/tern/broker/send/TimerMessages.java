package io.tern.broker.send;

import io.tern.common.message.MessageConst;
import io.tern.common.message.ParsedProperties;
import io.tern.common.protocol.SystemNames;
import io.tern.remoting.protocol.ResponseCode;
import io.tern.store.StoreConfig;
import io.tern.store.StoreMessage;

/**
 * The send side of timer messages (src-docs/timers.md): reads the time a 5.x producer asked for
 * ({@code TIMER_DELIVER_MS}, {@code TIMER_DELAY_SEC} or {@code TIMER_DELAY_MS}, in that order of precedence as
 * RocketMQ 5 reads them: delay seconds, delay ms, deliver ms), refuses what cannot be served, and rewrites a timer
 * due in the future to queue 0 of rmq_sys_wheel_timer with its real destination in REAL_TOPIC / REAL_QID and its
 * due time, rounded up to the wheel's precision, in TIMER_OUT_MS. A delay level wins over timer properties, which
 * are then dropped; a time not in the future is delivered at once.
 *
 * <p>Stateless; safe from any thread.
 */
final class TimerMessages {
    /** Not a timer message (or one due now). */
    static final long NOT_TIMER = Long.MIN_VALUE;
    /** Timer properties that are not numbers. */
    static final long ILLEGAL = Long.MIN_VALUE + 1;

    private TimerMessages() {
    }

    /** An answer that refuses the send. */
    record Refusal(int code, String remark) {
    }

    /**
     * The time the message is due at, {@link #NOT_TIMER} or {@link #ILLEGAL}. Drops the timer properties of a
     * message that also has a delay level, as RocketMQ 5 does.
     */
    static long dueMs(ParsedProperties props, long nowMs) {
        String sec = props.get(MessageConst.TIMER_DELAY_SEC);
        String ms = props.get(MessageConst.TIMER_DELAY_MS);
        String deliver = props.get(MessageConst.TIMER_DELIVER_MS);
        if (sec == null && ms == null && deliver == null) {
            return NOT_TIMER;
        }
        if (props.delayLevel() > 0) {
            props.remove(MessageConst.TIMER_DELAY_SEC);
            props.remove(MessageConst.TIMER_DELAY_MS);
            props.remove(MessageConst.TIMER_DELIVER_MS);
            return NOT_TIMER;
        }
        try {
            long due;
            if (sec != null) {
                due = nowMs + Math.multiplyExact(Long.parseLong(sec.trim()), 1000L);
            } else if (ms != null) {
                due = Math.addExact(nowMs, Long.parseLong(ms.trim()));
            } else {
                due = Long.parseLong(deliver.trim());
            }
            return due > nowMs ? due : NOT_TIMER;
        } catch (NumberFormatException | ArithmeticException e) {
            return ILLEGAL;
        }
    }

    /** Why a timer due at {@code dueMs} is refused, or null when it is served. */
    static Refusal check(long dueMs, long nowMs, StoreConfig store) {
        if (dueMs == NOT_TIMER) {
            return null;
        }
        if (!store.timerWheelEnable) {
            return new Refusal(ResponseCode.SYSTEM_ERROR,
                    "accurate timer message is not enabled, timerWheelEnable is false");
        }
        long maxDelayMs = store.timerMaxDelaySec * 1000L;
        if (dueMs == ILLEGAL || dueMs - nowMs > maxDelayMs) {
            return new Refusal(ResponseCode.MESSAGE_ILLEGAL, "timer message illegal, the delay time should not be"
                    + " bigger than the max delay " + maxDelayMs + "ms; or if set del msg, the delay time should be"
                    + " bigger than the current time");
        }
        return null;
    }

    /** Rewrites a message {@link StoreMessageBuilder} left on its real topic (not a half message) into a timer. */
    static void toTimer(StoreMessage m, ParsedProperties props, long dueMs, int precisionMs) {
        long tickDueMs = Math.floorDiv(dueMs + precisionMs - 1, precisionMs) * precisionMs;
        props.put(MessageConst.TIMER_OUT_MS, String.valueOf(tickDueMs));
        props.put(MessageConst.REAL_TOPIC, m.topic);
        props.put(MessageConst.REAL_QUEUE_ID, String.valueOf(m.queueId));
        m.topic = SystemNames.TIMER_TOPIC;
        m.queueId = 0;
        m.tagsCode = tickDueMs;
        m.withProperties(props);
    }
}

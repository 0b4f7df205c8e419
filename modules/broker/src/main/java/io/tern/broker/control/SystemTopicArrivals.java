package io.tern.broker.control;

import io.tern.broker.send.DelayLevels;
import io.tern.common.protocol.SystemNames;
import io.tern.store.ArrivalListener;
import io.vertx.core.Vertx;

/**
 * The store's arrival listener for the system topics that have a component waiting on them: a record
 * dispatched to SCHEDULE_TOPIC_XXXX becomes a {@link DelayedMessageStored}, one dispatched to
 * RMQ_SYS_TRANS_HALF_TOPIC a {@link HalfMessageStored}, one dispatched to rmq_sys_wheel_timer a
 * {@link TimerMessageStored}, each told on the broker's bus ({@link BrokerBus}). Every other record costs three
 * string comparisons.
 *
 * <p>Thread-safe; called on the store's dispatching thread, after the record's consume-queue entry is readable.
 */
public final class SystemTopicArrivals implements ArrivalListener {
    private final Vertx vertx;
    private final String delayedAddress;
    private final String halfAddress;
    private final String timerAddress;

    public SystemTopicArrivals(Vertx vertx, String brokerAddr) {
        this.vertx = vertx;
        this.delayedAddress = BrokerBus.delayedMessageStored(brokerAddr);
        this.halfAddress = BrokerBus.halfMessageStored(brokerAddr);
        this.timerAddress = BrokerBus.timerMessageStored(brokerAddr);
    }

    @Override
    public void onArrival(String topic, int queueId, long queueOffset, long tagsCode, long storeTimestamp) {
        if (topic.equals(SystemNames.SCHEDULE_TOPIC)) {
            int level = queueId + 1;
            BrokerBus.tell(vertx, delayedAddress,
                    new DelayedMessageStored(level, queueOffset, storeTimestamp + DelayLevels.delayMs(level)));
        } else if (topic.equals(SystemNames.TRANS_HALF_TOPIC)) {
            BrokerBus.tell(vertx, halfAddress, new HalfMessageStored(queueOffset, storeTimestamp));
        } else if (topic.equals(SystemNames.TIMER_TOPIC)) {
            BrokerBus.tell(vertx, timerAddress, new TimerMessageStored(queueOffset, tagsCode));
        }
    }
}

package io.tern.broker.control;

/**
 * A transactional half message — from a producer, or a re-written copy — was stored in RMQ_SYS_TRANS_HALF_TOPIC
 * queue 0 at {@code queueOffset}, at {@code storeTimestampMs}.
 */
public record HalfMessageStored(long queueOffset, long storeTimestampMs) {
}

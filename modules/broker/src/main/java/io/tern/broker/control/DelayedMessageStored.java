package io.tern.broker.control;

/**
 * A message was stored for later delivery: queue {@code level − 1} of SCHEDULE_TOPIC_XXXX got an entry at
 * {@code queueOffset}, due for delivery at {@code dueMs} (its store time plus the level's delay).
 */
public record DelayedMessageStored(int level, long queueOffset, long dueMs) {
}

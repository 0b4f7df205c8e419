package io.tern.broker.control;

/**
 * A timer message was stored: queue 0 of rmq_sys_wheel_timer got an entry at {@code queueOffset}, due at
 * {@code dueMs} (its tag code). The timer worker enqueues it into the wheel.
 */
public record TimerMessageStored(long queueOffset, long dueMs) {
}

package io.tern.broker.control;

/**
 * END_TRANSACTION finished the half message at {@code halfQueueOffset} of RMQ_SYS_TRANS_HALF_TOPIC queue 0: its op
 * record is stored (and, when {@code committed}, its real message).
 */
public record TransactionEnded(long halfQueueOffset, boolean committed) {
}

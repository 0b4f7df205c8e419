package io.tern.client;

import io.tern.common.protocol.MessageQueue;

/**
 * Result of a stored send.
 *
 * @param status      stored outcome
 * @param msgId       the client-made UNIQ_KEY (for a batch: the ids of all messages joined with ',')
 * @param offsetMsgId the broker's offset id(s) (store host + commit-log offset), comma-joined for a batch
 * @param queue       queue the message went to
 * @param queueOffset its logical offset in the queue (for a batch: of the first message)
 */
public record SendResult(SendStatus status, String msgId, String offsetMsgId, MessageQueue queue, long queueOffset) {
}

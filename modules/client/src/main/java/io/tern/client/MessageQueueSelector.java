package io.tern.client;

import io.tern.common.protocol.MessageQueue;
import java.util.List;

/** Picks the queue of a send, for ordering: messages sent to one queue are consumed in send order. */
@FunctionalInterface
public interface MessageQueueSelector {
    /** @param queues writable queues of the topic's master brokers, sorted by broker name and queue id */
    MessageQueue select(List<MessageQueue> queues, TernMessage message);
}

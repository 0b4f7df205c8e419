package io.tern.client;

import io.vertx.core.Future;
import java.util.List;

/**
 * Sends messages of one producer group. Futures complete on the client's event loop.
 *
 * <p>Thread-safe (work hops onto the client's context).
 */
public interface TernProducer {

    String group();

    /**
     * Sends to the next writable queue (round-robin over master queues) and completes once stored. Codes the official
     * client retries (spec 2.2) and connection failures are retried on another queue (another broker when there is
     * one) up to 2 times within the request timeout. Bodies of 4 KiB and more are zlib-compressed.
     */
    Future<SendResult> send(TernMessage message);

    /** Sends to the queue {@code selector} picks; no retry on another queue (that would break ordering). */
    Future<SendResult> send(TernMessage message, MessageQueueSelector selector);

    /** Per-key ordering: every message with the same {@code shardingKey} goes to the same queue (hash modulo count). */
    Future<SendResult> send(TernMessage message, String shardingKey);

    /** Fire and forget: completes once the request was handed to the connection; no answer, no retry. */
    Future<Void> sendOneway(TernMessage message);

    /** One SEND_BATCH_MESSAGE: all messages of one topic, to one queue, stored atomically; never compressed. */
    Future<SendResult> sendBatch(List<TernMessage> messages);

    /** Unregisters the group from every broker; further sends fail. */
    Future<Void> close();
}

package io.tern.client;

import io.tern.common.protocol.MessageQueue;
import io.vertx.core.Future;
import java.util.Set;
import java.util.function.Function;

/**
 * A push-style consumer of one group, shaped like a Vert.x ReadStream: set a {@link #handler}, {@link #start()}, and
 * use {@link #pause()} / {@link #resume()} for flow control.
 *
 * <p>Each message is handed to the handler on the client's event loop, in queue order per queue. The message is
 * acknowledged when the returned future succeeds; when it fails (or the handler throws) the message is sent back to
 * the broker (CONSUMER_SEND_MSG_BACK) and redelivered later through the group's %RETRY% topic. The committed offset of
 * a queue is its lowest offset not yet acknowledged, so a crash redelivers rather than loses (at-least-once).
 *
 * <p>Thread-safe (work hops onto the client's context).
 */
public interface TernConsumer {

    String group();

    /**
     * Subscribes to {@code topic}: {@code tagExpression} is "*" (everything) or tags joined with "||". Call before
     * {@link #start()}; later calls take effect at the next heartbeat and rebalance.
     */
    TernConsumer subscribe(String topic, String tagExpression);

    /** The message handler; required before {@link #start()}. */
    TernConsumer handler(Function<TernMessage, Future<Void>> handler);

    /** Stops handing out messages and stops pulling (messages already pulled stay buffered) until {@link #resume()}. */
    TernConsumer pause();

    TernConsumer resume();

    /**
     * Registers the group with the brokers and completes once the first rebalance assigned this consumer its queues
     * (possibly none, when the group has more members than queues); pulling then runs until {@link #close()}.
     * A topic without a route yet gets its queues at a later rebalance ({@code rebalanceIntervalMs}).
     */
    Future<Void> start();

    /** The queues this consumer owns after its latest rebalance (a snapshot; includes %RETRY% queues). */
    Set<MessageQueue> assignment();

    /** Stops pulling, commits offsets, unregisters the group. Unacknowledged messages will be redelivered. */
    Future<Void> close();
}

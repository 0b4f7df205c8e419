package io.tern.client;

import io.tern.client.impl.TernClientImpl;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

/**
 * Entry point of Tern's Vert.x reactive client: one client instance (one clientId, one connection per nameserver and
 * broker) that hands out producers and consumers. It speaks only the RocketMQ remoting protocol, so it works against
 * Tern and against Apache RocketMQ brokers alike.
 *
 * <pre>{@code
 * TernClient client = TernClient.create(vertx, new TernClientOptions().setNamesrvAddr("127.0.0.1:9876"));
 * TernProducer producer = client.createProducer("PG");
 * producer.send(TernMessage.of("Orders", Buffer.buffer("hello")).setTags("created"))
 *     .onSuccess(r -> System.out.println(r.msgId()));
 * }</pre>
 *
 * <p>Thread contract: every method may be called from any thread; all work (and every callback, handler and future
 * completion) runs on the one Vert.x context the client was created on (the caller's context, or a new event-loop
 * context when created outside Vert.x). The client never blocks and owns no thread.
 */
public interface TernClient {

    static TernClient create(Vertx vertx, TernClientOptions options) {
        return TernClientImpl.create(vertx, options);
    }

    /** {@code clientIP@instanceName}: how brokers know this client (consumer lists, connections). */
    String clientId();

    /** A producer of {@code group}; one per group and client. */
    TernProducer createProducer(String group);

    /** A push-style consumer of {@code group}; one per group and client (two members of a group need two clients). */
    TernConsumer createConsumer(String group, TernConsumerOptions options);

    default TernConsumer createConsumer(String group) {
        return createConsumer(group, new TernConsumerOptions());
    }

    /** Stops every consumer (committing offsets), unregisters every group from every broker, closes connections. */
    Future<Void> close();
}

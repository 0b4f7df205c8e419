package io.tern.remoting.bus;

import io.tern.remoting.LocalChannel;
import io.tern.remoting.ProcessorTable;
import io.tern.remoting.protocol.RemotingCommand;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * Remoting requests between the components of one JVM over the Vert.x event bus. A {@link RemotingCommand} sent to
 * a server's address is processed by the server's {@link ProcessorTable} through a {@link LocalChannel} — the same
 * look-up, processors and error answers as a request read from TCP — and the response comes back as the reply
 * ({@code null} for a oneway request). Commands travel by reference ({@link LocalCodec}): no frame is encoded, no
 * body copied, no socket opened.
 *
 * <p>Each requester names itself in the {@link #PEER} header and gets a channel of its own, kept while it is open:
 * processors may tie state to a channel (the nameserver ties a broker's registration to it, and closes it when the
 * broker expires; the next request of that peer then gets a new channel).
 *
 * <p>Thread contract: {@link #serve} on the context the requests should be processed on (a verticle's start);
 * {@link #request} from any thread.
 */
public final class RemotingOverBus {
    /** Header naming the requester, e.g. a broker's address. */
    public static final String PEER = "tern.peer";

    private final MessageConsumer<RemotingCommand> consumer;
    /** Confined to the consumer's context. */
    private final Map<String, LocalChannel> channels;

    private RemotingOverBus(MessageConsumer<RemotingCommand> consumer, Map<String, LocalChannel> channels) {
        this.consumer = consumer;
        this.channels = channels;
    }

    /**
     * Answers requests sent to {@code address}, on the calling context, through a channel per peer made by
     * {@code newChannel} (given the peer's name; it should process on the calling context too).
     */
    public static RemotingOverBus serve(Vertx vertx, String address, Function<String, LocalChannel> newChannel) {
        LocalCodec.registerOnce(vertx);
        Map<String, LocalChannel> channels = new HashMap<>();
        MessageConsumer<RemotingCommand> consumer = vertx.eventBus().localConsumer(address, message -> {
            String peer = message.headers().get(PEER);
            String key = peer == null ? "" : peer;
            LocalChannel channel = channels.get(key);
            if (channel == null || channel.isClosed()) {
                channel = newChannel.apply(key);
                channels.put(key, channel);
            }
            channel.call(message.body()).onComplete(ar -> {
                if (ar.succeeded()) {
                    message.reply(ar.result(), LocalCodec.options());
                } else {
                    message.fail(500, String.valueOf(ar.cause()));
                }
            });
        });
        return new RemotingOverBus(consumer, channels);
    }

    /**
     * Sends {@code request} to the server at {@code address} as {@code peer}; completes with its response (null for
     * a oneway request), fails after {@code timeoutMs} without one, or at once when nothing serves the address.
     */
    public static Future<RemotingCommand> request(Vertx vertx, String address, String peer, RemotingCommand request,
                                                  long timeoutMs) {
        LocalCodec.registerOnce(vertx);
        return vertx.eventBus().<RemotingCommand>request(address, request,
                        LocalCodec.options().setSendTimeout(Math.max(1, timeoutMs)).addHeader(PEER, peer))
                .map(Message::body);
    }

    /** Stops answering and closes every peer's channel (their close handlers run). Call on the serving context. */
    public Future<Void> close() {
        channels.values().forEach(LocalChannel::close);
        channels.clear();
        return consumer.unregister();
    }
}

package io.tern.remoting;

import io.tern.remoting.protocol.RemotingCommand;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.net.SocketAddress;

/**
 * What a request processor may know of and do with the peer that sent its request: who it is, per-peer
 * attributes, requests and oneway calls back to it (the broker relays admin calls to clients this way), and its
 * end. {@link RemotingConnection} is the TCP implementation; {@link LocalChannel} runs processors in-process
 * (tests, the HTTP API) with no socket.
 *
 * <p>Implementations are thread-safe; {@link #context()} is the event loop the peer's requests are processed on.
 */
public interface RemotingChannel {
    /** Unique in this JVM for the channel's life. */
    long id();

    /** "ip:port" of the peer. */
    String remoteAddress();

    /** The peer's socket address (an in-process channel names one for the stored born host); may be null. */
    SocketAddress remoteSocketAddress();

    /** The event-loop context this channel's requests are processed on and its responses are written from. */
    Context context();

    boolean isClosed();

    <T> T attribute(String key);

    /** Sets a per-channel attribute; null removes it. */
    void attribute(String key, Object value);

    /** Called once the channel closed (at once when it already is). */
    void closeHandler(Handler<RemotingChannel> handler);

    /** Sends a response or oneway request to the peer. */
    void send(RemotingCommand cmd);

    /** Sends a request to the peer; fails with TimeoutException after {@code timeoutMs} without an answer. */
    Future<RemotingCommand> request(RemotingCommand cmd, long timeoutMs);

    /** Sends a request that the peer does not answer. */
    void oneway(RemotingCommand cmd);

    Future<Void> close();
}

package io.tern.remoting;

import io.tern.remoting.protocol.RemotingCommand;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.net.SocketAddress;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A channel without a socket: a request given to {@link #call} goes through the {@link ProcessorTable} exactly as
 * one read from TCP would (same look-up, same blocking/event-loop split, same error answers), on this channel's
 * event loop, and its response comes back as the call's future. For tests, the HTTP API and other in-process
 * callers; no frame is encoded or decoded, message bodies pass by reference.
 *
 * <p>Requests the processors make to the peer ({@link #request}, {@link #oneway}: broker → client relays) go to
 * the {@linkplain #peerHandler peer handler}; without one, requests fail and oneway calls are dropped.
 *
 * <p>Thread-safe: calls from other threads hop onto the channel's context.
 */
public final class LocalChannel implements RemotingChannel {
    private static final Logger LOG = LoggerFactory.getLogger(LocalChannel.class);
    /** The peer address a channel names by default: a loopback caller. */
    public static final SocketAddress LOOPBACK = SocketAddress.inetSocketAddress(new InetSocketAddress("127.0.0.1", 0));
    private static final AtomicInteger NEXT_OPAQUE = new AtomicInteger();

    private final long id = ChannelIds.next();
    private final Vertx vertx;
    private final Context context;
    private final ProcessorTable processors;
    private final SocketAddress remote;
    private final String remoteAddress;
    /** Calls waiting for their answer, by opaque: a processor may also answer later with {@link #send}. */
    private final Map<Integer, Promise<RemotingCommand>> calls = new ConcurrentHashMap<>();
    private final ChannelState state = new ChannelState();
    private volatile Function<RemotingCommand, Future<RemotingCommand>> peer;
    private volatile boolean closed;

    /** On a new event-loop context of {@code vertx}, with a loopback peer address. */
    public LocalChannel(Vertx vertx, ProcessorTable processors) {
        this(vertx, ((VertxInternal) vertx).createEventLoopContext(), processors, LOOPBACK);
    }

    /** @param context an event-loop context: non-blocking processors run on it */
    public LocalChannel(Vertx vertx, Context context, ProcessorTable processors, SocketAddress remote) {
        this.vertx = vertx;
        this.context = context;
        this.processors = processors;
        this.remote = remote;
        String host = remote.hostAddress() != null ? remote.hostAddress() : remote.host();
        this.remoteAddress = host + ":" + remote.port();
    }

    /**
     * Handles requests and oneway calls the processors send to the peer; the future is the peer's answer
     * (ignored for oneway calls).
     */
    public LocalChannel peerHandler(Function<RemotingCommand, Future<RemotingCommand>> handler) {
        this.peer = handler;
        return this;
    }

    /**
     * Processes {@code request} as if the peer had sent it. Completes with the response (opaque and response flag
     * set as on the wire), or with null for a oneway request or a processor that gives no answer; fails only when
     * the channel is or gets closed first. Called on a Vert.x context, the future's callbacks run on that context.
     */
    public Future<RemotingCommand> call(RemotingCommand request) {
        Promise<RemotingCommand> promise = Vertx.currentContext() instanceof ContextInternal caller
                ? caller.<RemotingCommand>promise() : Promise.<RemotingCommand>promise();
        if (closed) {
            promise.fail(new IllegalStateException("local channel " + id + " is closed"));
            return promise.future();
        }
        int opaque = NEXT_OPAQUE.incrementAndGet();
        request.opaque(opaque);
        calls.put(opaque, promise);
        if (Vertx.currentContext() == context) {
            dispatch(request);
        } else {
            context.runOnContext(v -> dispatch(request));
        }
        return promise.future();
    }

    private void dispatch(RemotingCommand request) {
        Future<RemotingCommand> result = processors.process(vertx, this, request);
        if (result == null) {
            answer(request, null);
        } else if (result.isComplete()) {
            answer(request, ProcessorTable.responseOf(request, result, remoteAddress));
        } else {
            result.onComplete(ar -> answer(request, ProcessorTable.responseOf(request, ar, remoteAddress)));
        }
    }

    private void answer(RemotingCommand request, RemotingCommand response) {
        Promise<RemotingCommand> promise = calls.remove(request.opaque());
        if (promise == null) {
            return;
        }
        if (response == null || request.isOneway()) {
            promise.tryComplete(null);
            return;
        }
        promise.tryComplete(response.opaque(request.opaque()).flag(RemotingCommand.FLAG_RESPONSE));
    }

    @Override
    public long id() {
        return id;
    }

    @Override
    public String remoteAddress() {
        return remoteAddress;
    }

    @Override
    public SocketAddress remoteSocketAddress() {
        return remote;
    }

    @Override
    public Context context() {
        return context;
    }

    @Override
    public boolean isClosed() {
        return closed;
    }

    @Override
    public <T> T attribute(String key) {
        return state.attribute(key);
    }

    @Override
    public void attribute(String key, Object value) {
        state.attribute(key, value);
    }

    @Override
    public void closeHandler(Handler<RemotingChannel> handler) {
        state.closeHandler(this, handler, closed);
    }

    /** A response completes the call with its opaque; anything else goes to the peer like {@link #oneway}. */
    @Override
    public void send(RemotingCommand cmd) {
        if (closed) {
            return;
        }
        if (cmd.isResponse()) {
            Promise<RemotingCommand> promise = calls.remove(cmd.opaque());
            if (promise != null) {
                promise.tryComplete(cmd);
            }
            return;
        }
        toPeer(cmd);
    }

    @Override
    public Future<RemotingCommand> request(RemotingCommand cmd, long timeoutMs) {
        Function<RemotingCommand, Future<RemotingCommand>> handler = peer;
        if (closed || handler == null) {
            return Future.failedFuture(new IllegalStateException("local channel " + id
                    + (closed ? " is closed" : " has no peer to answer code " + cmd.code())));
        }
        cmd.opaque(NEXT_OPAQUE.incrementAndGet()).flag(cmd.flag() & ~RemotingCommand.FLAG_ONEWAY);
        // answered on the channel's context, as a TCP connection answers on its event loop
        Promise<RemotingCommand> promise = ((ContextInternal) context).<RemotingCommand>promise();
        long timer = vertx.setTimer(Math.max(1, timeoutMs), t -> promise.tryFail(new TimeoutException(
                "no response to code " + cmd.code() + " from local peer within " + timeoutMs + " ms")));
        Future<RemotingCommand> answered;
        try {
            answered = handler.apply(cmd);
        } catch (RuntimeException e) {
            answered = Future.failedFuture(e);
        }
        answered.onComplete(ar -> {
            vertx.cancelTimer(timer);
            if (ar.succeeded()) {
                promise.tryComplete(ar.result());
            } else {
                promise.tryFail(ar.cause());
            }
        });
        return promise.future();
    }

    @Override
    public void oneway(RemotingCommand cmd) {
        cmd.opaque(NEXT_OPAQUE.incrementAndGet()).flag(cmd.flag() | RemotingCommand.FLAG_ONEWAY);
        send(cmd);
    }

    private void toPeer(RemotingCommand cmd) {
        Function<RemotingCommand, Future<RemotingCommand>> handler = peer;
        if (handler == null) {
            LOG.debug("local channel {} has no peer: dropped code {}", id, cmd.code());
            return;
        }
        try {
            handler.apply(cmd);
        } catch (RuntimeException e) {
            LOG.warn("local peer failed on code {}", cmd.code(), e);
        }
    }

    /** Fails the calls still waiting and runs the close handlers. */
    @Override
    public Future<Void> close() {
        if (closed) {
            return Future.succeededFuture();
        }
        closed = true;
        for (Promise<RemotingCommand> p : calls.values()) {
            p.tryFail(new IllegalStateException("local channel " + id + " closed"));
        }
        calls.clear();
        state.closed(this);
        return Future.succeededFuture();
    }
}

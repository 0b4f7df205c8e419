package io.tern.remoting;

import io.tern.remoting.acl.AclCredentials;
import io.tern.remoting.protocol.FrameDecoder;
import io.tern.remoting.protocol.FrameTooLargeException;
import io.tern.remoting.protocol.OffHeapFrames;
import io.tern.remoting.protocol.RemotingCommand;
import io.tern.remoting.protocol.RemotingCommandCodec;
import io.tern.remoting.protocol.ResponseCode;
import io.tern.remoting.security.ConnectionGuard;
import io.vertx.core.AsyncResult;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.netty.handler.flush.FlushConsolidationHandler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.net.NetSocketInternal;
import io.vertx.core.net.NetSocket;
import io.vertx.core.net.SocketAddress;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One remoting TCP connection, server or client side: both ends may send requests on it (spec 1.1).
 * Inbound requests go to the {@link ProcessorTable}; inbound responses complete the pending request with the
 * same opaque. A framing or header error closes the connection (the peer cannot be answered reliably).
 *
 * <p>A server's connection is held to its {@link ConnectionGuard}'s per-connection limits: requests in flight
 * (beyond the bound answered SYSTEM_BUSY) and the age of an incomplete frame, which the server's sweep reads.
 *
 * <p>Thread-safe: writes and requests from other threads hop onto the connection's event loop.
 */
public final class RemotingConnection implements RemotingChannel {
    private static final Logger LOG = LoggerFactory.getLogger(RemotingConnection.class);
    /** Responses written before a deferred flush is forced anyway. */
    private static final int MAX_WRITES_PER_FLUSH = 64;
    private static final AtomicInteger NEXT_OPAQUE = new AtomicInteger();

    private final long id = ChannelIds.next();
    private final Vertx vertx;
    private final Context context;
    private final NetSocket socket;
    private final ProcessorTable processors;
    private final FrameDecoder decoder;
    private final String remoteAddress;
    private final Map<Integer, Pending> pending = new ConcurrentHashMap<>();
    private final ChannelState state = new ChannelState();
    /** Signs the requests this side sends (a client of an ACL-checking server); null: unsigned. */
    private final AclCredentials signer;
    private volatile boolean closed;
    /** Server side: the limits this connection is held to; null on a client's connections. */
    private final ConnectionGuard guard;
    /** Whether reads keep {@link #partialFrameSinceMs} (a server with frameReadTimeoutMs above 0). */
    private final boolean timesFrames;
    /** Requests dispatched and not yet answered; counted only when a guard limits them. */
    private final AtomicInteger inFlight = new AtomicInteger();
    /**
     * When the first byte of the frame still incomplete arrived; 0 = no partial frame. Written by reads and read by
     * the server's sweep, both on this connection's event loop.
     */
    private long partialFrameSinceMs;

    private record Pending(Promise<RemotingCommand> promise, long timerId) {
    }

    RemotingConnection(Vertx vertx, Context context, NetSocket socket, ProcessorTable processors) {
        this(vertx, context, socket, processors, null, null);
    }

    /** A server's connection, held to {@code guard}'s per-connection limits. */
    RemotingConnection(Vertx vertx, Context context, NetSocket socket, ProcessorTable processors,
                       ConnectionGuard guard) {
        this(vertx, context, socket, processors, guard, null);
    }

    /**
     * @param guard  a server's per-connection limits; null on a client's connection
     * @param signer signs the requests this side sends (a client of an ACL-checking server); null: unsigned
     */
    RemotingConnection(Vertx vertx, Context context, NetSocket socket, ProcessorTable processors,
                       ConnectionGuard guard, AclCredentials signer) {
        this.signer = signer;
        this.guard = guard;
        this.timesFrames = guard != null && guard.limits().frameReadTimeoutMs() > 0;
        this.vertx = vertx;
        this.context = context;
        this.socket = socket;
        this.processors = processors;
        SocketAddress remote = socket.remoteAddress();
        this.remoteAddress = remote == null ? "unknown" : remote.hostAddress() + ":" + remote.port();
        // a server's large inbound frames (sends of large messages) are gathered off the heap (OffHeapFrames)
        this.decoder = new FrameDecoder(this::onFrame, guard != null ? OffHeapFrames.servers() : null);
        if (socket instanceof NetSocketInternal internal) {
            // Responses completed by the store arrive as separate event-loop tasks, each writing and flushing:
            // one write syscall per response. Deferring the flush to a task queued behind them sends a whole
            // group-commit batch of responses in one syscall (within a read, Vert.x already flushes once).
            internal.channelHandlerContext().pipeline()
                    .addFirst("tern-flush-consolidation", new FlushConsolidationHandler(MAX_WRITES_PER_FLUSH, true));
        }
        socket.handler(this::onData);
        socket.closeHandler(v -> onClosed());
        socket.exceptionHandler(e -> LOG.debug("connection {} error: {}", remoteAddress, e.toString()));
    }

    @Override
    public long id() {
        return id;
    }

    /** "ip:port" of the peer. */
    @Override
    public String remoteAddress() {
        return remoteAddress;
    }

    @Override
    public SocketAddress remoteSocketAddress() {
        return socket.remoteAddress();
    }

    public SocketAddress localSocketAddress() {
        return socket.localAddress();
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

    /** Sends a response or oneway request. */
    @Override
    public void send(RemotingCommand cmd) {
        if (closed) {
            return;
        }
        if (Vertx.currentContext() == context) {
            write(cmd);
        } else {
            context.runOnContext(v -> write(cmd));
        }
    }

    private void write(RemotingCommand cmd) {
        if (socket instanceof NetSocketInternal internal) {
            // a ByteBuf Netty releases once written, so it can be pooled direct memory (RemotingCommandCodec)
            internal.writeMessage(RemotingCommandCodec.encode(cmd, internal.channelHandlerContext().alloc()));
        } else {
            socket.write(RemotingCommandCodec.encode(cmd));
        }
    }

    /** Sends a request and waits for its response; fails with TimeoutException after {@code timeoutMs}. */
    @Override
    public Future<RemotingCommand> request(RemotingCommand cmd, long timeoutMs) {
        Promise<RemotingCommand> promise = Promise.promise();
        if (closed) {
            promise.fail(new IllegalStateException("connection to " + remoteAddress + " is closed"));
            return promise.future();
        }
        int opaque = NEXT_OPAQUE.incrementAndGet();
        cmd.opaque(opaque).flag(cmd.flag() & ~RemotingCommand.FLAG_ONEWAY);
        if (signer != null) {
            signer.sign(cmd);
        }
        long timer = vertx.setTimer(Math.max(1, timeoutMs), t -> {
            Pending p = pending.remove(opaque);
            if (p != null) {
                p.promise.tryFail(new TimeoutException("no response to code " + cmd.code() + " from " + remoteAddress
                        + " within " + timeoutMs + " ms"));
            }
        });
        pending.put(opaque, new Pending(promise, timer));
        send(cmd);
        return promise.future();
    }

    @Override
    public void oneway(RemotingCommand cmd) {
        cmd.opaque(NEXT_OPAQUE.incrementAndGet()).flag(cmd.flag() | RemotingCommand.FLAG_ONEWAY);
        if (signer != null) {
            signer.sign(cmd);
        }
        send(cmd);
    }

    @Override
    public Future<Void> close() {
        return socket.close();
    }

    private void onData(Buffer chunk) {
        try {
            int frames = decoder.feed(chunk);
            if (timesFrames) {
                trackPartialFrame(frames);
            }
        } catch (FrameTooLargeException e) {
            LOG.warn("closing connection {}: {}", remoteAddress, e.getMessage());
            socket.close();
        }
    }

    /** A frame cut off at the end of this read starts its clock when it is new (first partial, or after a frame). */
    private void trackPartialFrame(int framesCompleted) {
        if (!decoder.hasPartialFrame()) {
            partialFrameSinceMs = 0;
        } else if (framesCompleted > 0 || partialFrameSinceMs == 0) {
            partialFrameSinceMs = System.currentTimeMillis();
        }
    }

    /** True when a frame has been arriving since before {@code timeMs} and is still incomplete; event loop only. */
    boolean partialFrameStartedBefore(long timeMs) {
        long since = partialFrameSinceMs;
        return since != 0 && since < timeMs;
    }

    private void onFrame(Buffer frame) {
        RemotingCommand cmd;
        try {
            cmd = RemotingCommandCodec.decode(frame);
        } catch (FrameTooLargeException e) {
            throw e;
        } catch (RuntimeException e) {
            // a header the codecs failed to refuse cleanly: the stream cannot be trusted past it, close as for any
            // malformed frame rather than let the exception leave the decoder mid-stream
            throw new FrameTooLargeException("undecodable header: " + e);
        }
        if (cmd.isResponse()) {
            Pending p = pending.remove(cmd.opaque());
            if (p == null) {
                LOG.debug("response with unknown opaque {} from {}", cmd.opaque(), remoteAddress);
                return;
            }
            vertx.cancelTimer(p.timerId);
            p.promise.tryComplete(cmd);
        } else {
            dispatch(cmd);
        }
    }

    private void dispatch(RemotingCommand request) {
        RequestGate gate = processors.gate();
        if (gate != null) {
            RemotingCommand refusal = gate.refusal(this, request);
            if (refusal != null) {
                answer(request, refusal);
                return;
            }
        }
        if (guard != null && !admitInFlight(request)) {
            return;
        }
        Future<RemotingCommand> result = processors.process(vertx, this, request);
        if (result == null) {
            releaseInFlight();
            return;
        }
        if (result.isComplete()) {
            complete(request, result);
        } else {
            result.onComplete(ar -> complete(request, ar));
        }
    }

    /**
     * Counts a request in; over the limit it is answered SYSTEM_BUSY at once (a oneway one is dropped) and
     * counted, as the reference answers a full request queue.
     */
    private boolean admitInFlight(RemotingCommand request) {
        int max = guard.limits().maxInFlightRequests();
        if (max <= 0) {
            return true;
        }
        if (inFlight.incrementAndGet() <= max) {
            return true;
        }
        inFlight.decrementAndGet();
        guard.count(ConnectionGuard.Reason.IN_FLIGHT);
        answer(request, RemotingCommand.responseTo(request, ResponseCode.SYSTEM_BUSY,
                "[TOO_MANY_REQUESTS] more than " + max + " requests in flight on this connection"));
        return false;
    }

    private void releaseInFlight() {
        if (guard != null && guard.limits().maxInFlightRequests() > 0) {
            inFlight.decrementAndGet();
        }
    }

    private void complete(RemotingCommand request, AsyncResult<RemotingCommand> ar) {
        releaseInFlight();
        RemotingCommand response = ProcessorTable.responseOf(request, ar, remoteAddress);
        if (response != null) {
            answer(request, response);
        }
    }

    private void answer(RemotingCommand request, RemotingCommand response) {
        if (request.isOneway()) {
            return;
        }
        response.opaque(request.opaque()).flag(RemotingCommand.FLAG_RESPONSE);
        send(response);
    }

    private void onClosed() {
        closed = true;
        for (Pending p : pending.values()) {
            vertx.cancelTimer(p.timerId);
            p.promise.tryFail(new IllegalStateException("connection to " + remoteAddress + " closed"));
        }
        pending.clear();
        state.closed(this);
    }
}

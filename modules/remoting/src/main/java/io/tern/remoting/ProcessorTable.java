package io.tern.remoting;

import io.tern.remoting.protocol.RemotingCommand;
import io.tern.remoting.protocol.RemotingProtocolException;
import io.tern.remoting.protocol.ResponseCode;
import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.HashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Request code → processor (RocketMQ's processorTable). A processor registered as blocking runs on a worker
 * thread; every other processor runs on the channel's event loop and must not block. {@link #process} is the
 * one way a request reaches its processor, over TCP ({@link RemotingConnection}) and in-process
 * ({@link LocalChannel}) alike.
 *
 * <p>Codes below {@value #DIRECT_CODES} (every 4.x request code) are looked up in an array, once per request on
 * the event loop, without boxing the code; larger ones (the 5.x POP codes, 2000xx) in a map.
 *
 * <p>Filled before the server starts, read-only afterwards.
 */
public final class ProcessorTable {
    private static final Logger LOG = LoggerFactory.getLogger(ProcessorTable.class);
    static final int DIRECT_CODES = 1024;

    record Entry(RequestProcessor processor, boolean blocking) {
    }

    private final Entry[] direct = new Entry[DIRECT_CODES];
    private final Map<Integer, Entry> other = new HashMap<>();
    /** Null unless a gate (the ACL) checks network requests: then one field read per request is all it costs. */
    private RequestGate gate;

    public ProcessorTable register(int code, RequestProcessor processor) {
        return put(code, new Entry(processor, false));
    }

    public ProcessorTable registerBlocking(int code, RequestProcessor processor) {
        return put(code, new Entry(processor, true));
    }

    private ProcessorTable put(int code, Entry entry) {
        if (code >= 0 && code < DIRECT_CODES) {
            direct[code] = entry;
        } else {
            other.put(code, entry);
        }
        return this;
    }

    /** Every request read from a connection must pass {@code gate} before its processor runs. */
    public ProcessorTable gate(RequestGate gate) {
        this.gate = gate;
        return this;
    }

    /** The gate network requests pass, or null when there is none. */
    public RequestGate gate() {
        return gate;
    }

    Entry get(int code) {
        return code >= 0 && code < DIRECT_CODES ? direct[code] : other.get(code);
    }

    public boolean supports(int code) {
        return get(code) != null;
    }

    /**
     * Runs the request's processor, on the caller's event loop or, for a blocking one, on a worker. Returns its
     * result (null: no answer); an unknown code is answered REQUEST_CODE_NOT_SUPPORTED, a thrown exception becomes
     * a failed future. Must be called on {@code channel.context()}.
     */
    public Future<RemotingCommand> process(Vertx vertx, RemotingChannel channel, RemotingCommand request) {
        Entry entry = get(request.code());
        if (entry == null) {
            return Future.succeededFuture(RemotingCommand.responseTo(request, ResponseCode.REQUEST_CODE_NOT_SUPPORTED,
                    " request type " + request.code() + " not supported"));
        }
        if (entry.blocking()) {
            return vertx.<Future<RemotingCommand>>executeBlocking(() -> entry.processor().process(channel, request),
                            false)
                    .compose(f -> f == null ? Future.succeededFuture() : f);
        }
        try {
            return entry.processor().process(channel, request);
        } catch (Throwable e) {
            // an Error too: a request left unanswered makes the client time out and drop the connection
            return Future.failedFuture(e);
        }
    }

    /**
     * The response to send for a processor's outcome: its own response, null for none, or SYSTEM_ERROR with the
     * failure's message (logged with its stack trace unless it is the peer's error).
     */
    static RemotingCommand responseOf(RemotingCommand request, AsyncResult<RemotingCommand> ar, String peer) {
        if (ar.succeeded()) {
            return ar.result();
        }
        Throwable cause = ar.cause();
        if (cause instanceof IllegalArgumentException) {
            // a body or field the peer got wrong (malformed JSON, bad number): one line, no stack trace, so a
            // peer sending garbage cannot fill the log with traces
            LOG.warn("request code {} from {} refused: {}", request.code(), peer, cause.getMessage());
        } else if (!(cause instanceof RemotingProtocolException)) {
            LOG.warn("request code {} from {} failed", request.code(), peer, cause);
        }
        return RemotingCommand.responseTo(request, ResponseCode.SYSTEM_ERROR, String.valueOf(cause.getMessage()));
    }
}

package io.tern.client.impl;

import io.tern.client.TernClientException;
import io.tern.remoting.RemotingClient;
import io.tern.remoting.protocol.RemotingCommand;
import io.vertx.core.Future;

/**
 * The client's door to the wire: requests through the shared {@link RemotingClient}, completions moved back onto
 * the client's context. Thread contract: call on the client's context.
 */
final class RemotingCalls {
    final RemotingClient remoting;
    final ClientContext ctx;
    final long requestTimeoutMs;

    RemotingCalls(RemotingClient remoting, ClientContext ctx, long requestTimeoutMs) {
        this.remoting = remoting;
        this.ctx = ctx;
        this.requestTimeoutMs = requestTimeoutMs;
    }

    Future<RemotingCommand> invoke(String addr, RemotingCommand request) {
        return invoke(addr, request, requestTimeoutMs);
    }

    Future<RemotingCommand> invoke(String addr, RemotingCommand request, long timeoutMs) {
        return ctx.onContext(remoting.invoke(addr, request, timeoutMs));
    }

    /** Like {@link #invoke} but any code other than SUCCESS fails the future with a {@link TernClientException}. */
    Future<RemotingCommand> invokeOk(String addr, RemotingCommand request) {
        return invoke(addr, request).compose(r -> r.code() == 0
                ? Future.succeededFuture(r)
                : Future.failedFuture(new TernClientException(r.code(), r.remark())));
    }

    Future<Void> oneway(String addr, RemotingCommand request) {
        return ctx.onContext(remoting.invokeOneway(addr, request));
    }
}

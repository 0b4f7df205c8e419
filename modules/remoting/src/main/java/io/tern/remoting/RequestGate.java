package io.tern.remoting;

import io.tern.remoting.protocol.RemotingCommand;

/**
 * Decides, before its processor runs, whether a request read from the network may run at all (the access check of
 * the plain ACL is one). Consulted by {@link RemotingConnection} for every request it reads; requests made
 * in-process ({@link LocalChannel}: the HTTP API, a co-located broker registering over the event bus) come from
 * this JVM and are not gated.
 *
 * <p>Called on the connection's event loop: implementations must not block and must be thread-safe.
 */
@FunctionalInterface
public interface RequestGate {
    /** Null to let the request through; otherwise the response that refuses it (its processor does not run). */
    RemotingCommand refusal(RemotingChannel channel, RemotingCommand request);
}

package io.tern.broker.http;

import io.tern.broker.BrokerAddress;
import io.tern.broker.control.BrokerBus;
import io.tern.remoting.bus.RemotingOverBus;
import io.tern.remoting.protocol.RemotingCommand;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

/**
 * The HTTP API's requests to its own broker, over the event bus ({@link BrokerBus#request}). Writes made over HTTP
 * (topic updates, sends) travel as the requests a client would make, so they take exactly the processors' path —
 * validation, auto-creation, storing, indexing, waking parked pulls, metrics — with no second implementation to
 * drift apart; the broker runs them through an in-process channel, with no socket and no frame encoding.
 *
 * <p>Thread-safe.
 */
final class BrokerRequests {
    static final long TIMEOUT_MS = 15_000;
    /** How the HTTP API names itself to the broker: one in-process channel for all its requests. */
    static final String PEER = "http-api";

    private final Vertx vertx;
    private final BrokerAddress address;

    BrokerRequests(Vertx vertx, BrokerAddress address) {
        this.vertx = vertx;
        this.address = address;
    }

    Future<RemotingCommand> call(RemotingCommand request) {
        return RemotingOverBus.request(vertx, BrokerBus.request(address.hostPort()), PEER, request, TIMEOUT_MS);
    }
}

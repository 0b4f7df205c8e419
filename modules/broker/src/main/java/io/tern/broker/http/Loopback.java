package io.tern.broker.http;

import io.tern.broker.BrokerAddress;
import io.tern.remoting.RemotingClient;
import io.tern.remoting.protocol.RemotingCommand;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

/**
 * A remoting connection from the HTTP API to its own broker. Writes made over HTTP (topic updates, sends) travel
 * as the requests a client would make, so they take exactly the processors' path — validation, auto-creation,
 * storing, indexing, waking parked pulls, metrics — with no second implementation to drift apart.
 *
 * <p>Thread-safe (the remoting client is).
 */
final class Loopback {
    static final long TIMEOUT_MS = 15_000;

    private final RemotingClient client;
    private final String host;
    private final BrokerAddress address;

    Loopback(Vertx vertx, String host, BrokerAddress address) {
        this.client = new RemotingClient(vertx);
        this.host = host;
        this.address = address;
    }

    Future<RemotingCommand> call(RemotingCommand request) {
        return client.invoke(address(), request, TIMEOUT_MS);
    }

    /** The remoting port on loopback when the broker binds every interface, else on the bound host. */
    private String address() {
        String host = this.host;
        if (host == null || host.isBlank() || host.equals("0.0.0.0") || host.equals("::") || host.equals("[::]")) {
            host = "127.0.0.1";
        }
        return host + ":" + address.port();
    }

    Future<Void> close() {
        return client.close();
    }
}

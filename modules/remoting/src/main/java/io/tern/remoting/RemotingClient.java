package io.tern.remoting;

import io.tern.remoting.acl.AclCredentials;
import io.tern.remoting.protocol.RemotingCommand;
import io.tern.remoting.security.ClientTls;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Client side of the remoting protocol: one cached connection per "host:port". Requests the peer sends on
 * those connections go to the given processor table (the broker calls consumers and producers this way). Given
 * {@link AclCredentials}, every request and oneway call it sends is signed for a server that checks the ACL.
 *
 * <p>Thread-safe.
 */
public final class RemotingClient {
    public static final int CONNECT_TIMEOUT_MS = 3_000;

    private final Vertx vertx;
    private final NetClient netClient;
    private final ProcessorTable processors;
    private final AclCredentials credentials;
    private final Map<String, Future<RemotingConnection>> connections = new ConcurrentHashMap<>();
    private volatile boolean closed;

    public RemotingClient(Vertx vertx, ProcessorTable processors) {
        this(vertx, processors, ClientTls.PLAINTEXT, null);
    }

    /** With TLS on every connection when {@code tls} is enabled. */
    public RemotingClient(Vertx vertx, ProcessorTable processors, ClientTls tls) {
        this(vertx, processors, tls, null);
    }

    /** @param credentials signs every request sent; null = unsigned */
    public RemotingClient(Vertx vertx, ProcessorTable processors, AclCredentials credentials) {
        this(vertx, processors, ClientTls.PLAINTEXT, credentials);
    }

    /** TLS when {@code tls} is enabled; every request signed with {@code credentials} unless null. */
    public RemotingClient(Vertx vertx, ProcessorTable processors, ClientTls tls, AclCredentials credentials) {
        this.vertx = vertx;
        this.processors = processors;
        this.credentials = credentials;
        this.netClient = vertx.createNetClient(tls.applyTo(new NetClientOptions()
                .setConnectTimeout(CONNECT_TIMEOUT_MS)
                .setTcpNoDelay(true)));
    }

    public RemotingClient(Vertx vertx) {
        this(vertx, new ProcessorTable());
    }

    /** The cached connection to {@code address} ("host:port"), connecting when needed. */
    public Future<RemotingConnection> connection(String address) {
        if (closed) {
            return Future.failedFuture(new IllegalStateException("remoting client closed"));
        }
        Future<RemotingConnection> existing = connections.get(address);
        if (existing != null && !(existing.succeeded() && existing.result().isClosed()) && !existing.failed()) {
            return existing;
        }
        int colon = address.lastIndexOf(':');
        if (colon <= 0) {
            return Future.failedFuture(new IllegalArgumentException("address is not host:port: " + address));
        }
        String host = address.substring(0, colon);
        int port = Integer.parseInt(address.substring(colon + 1));
        Future<RemotingConnection> created = netClient.connect(port, host).map(socket -> {
            // the callback runs on the socket's own event loop: bind the connection to it
            Context ctx = Vertx.currentContext() != null ? Vertx.currentContext() : vertx.getOrCreateContext();
            RemotingConnection c = new RemotingConnection(vertx, ctx, socket, processors, null, credentials);
            c.closeHandler(closedConn -> connections.remove(address));
            return c;
        });
        connections.put(address, created);
        created.onFailure(e -> connections.remove(address, created));
        return created;
    }

    public Future<RemotingCommand> invoke(String address, RemotingCommand request, long timeoutMs) {
        return connection(address).compose(c -> c.request(request, timeoutMs));
    }

    public Future<Void> invokeOneway(String address, RemotingCommand request) {
        return connection(address).map(c -> {
            c.oneway(request);
            return null;
        });
    }

    public Future<Void> close() {
        closed = true;
        connections.clear();
        return netClient.close();
    }
}

package io.tern.remoting;

import io.tern.remoting.security.ConnectionGuard;
import io.tern.remoting.security.ServerPipeline;
import io.tern.remoting.security.ServerTls;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.SocketAddress;
import java.util.HashSet;
import java.util.Set;

/**
 * Accepts remoting connections on one event loop. Deployed with one instance per event loop; the instances
 * share the listening port (Vert.x server sharing), so connections spread over all loops.
 *
 * <p>Every accepted connection passes the server's {@link ConnectionGuard} (connection limits; refused ones are
 * closed at once), gets TLS when configured and an idle closer ({@link ServerPipeline}), and is checked by a sweep
 * for a frame that trickles in longer than {@code frameReadTimeoutMs}.
 */
public final class RemotingServerVerticle extends VerticleBase {
    private final String host;
    private final int port;
    private final ProcessorTable processors;
    private final ConnectionListener listener;
    private final ServerTls tls;
    private final ConnectionGuard guard;
    /** This event loop's open connections, for the slow-frame sweep; touched on this verticle's loop only. */
    private final Set<RemotingConnection> open = new HashSet<>();
    private NetServer server;
    private long sweepTimer = -1;

    public RemotingServerVerticle(String host, int port, ProcessorTable processors, ConnectionListener listener) {
        this(host, port, processors, listener, null, ConnectionGuard.withDefaults());
    }

    /** With TLS ({@code null} = plaintext) and the guard shared by all instances of the server. */
    public RemotingServerVerticle(String host, int port, ProcessorTable processors, ConnectionListener listener,
                                  ServerTls tls, ConnectionGuard guard) {
        this.host = host;
        this.port = port;
        this.processors = processors;
        this.listener = listener;
        this.tls = tls;
        this.guard = guard;
    }

    @Override
    public Future<?> start() {
        // idle connections are closed by the guard's own handler (counted), not by Vert.x's idle timeout
        NetServerOptions options = new NetServerOptions()
                .setHost(host)
                .setPort(port)
                .setTcpNoDelay(true)
                .setReuseAddress(true);
        server = vertx.createNetServer(options);
        server.connectHandler(socket -> {
            SocketAddress remote = socket.remoteAddress();
            String address = remote == null ? "unknown" : remote.hostAddress();
            if (!guard.admit(address)) {
                socket.close();
                return;
            }
            RemotingConnection connection = new RemotingConnection(vertx, context, socket, processors, guard);
            ServerPipeline.install(socket, tls, guard);
            open.add(connection);
            connection.closeHandler(c -> {
                guard.release(address);
                open.remove(connection);
            });
            listener.onConnected(connection);
        });
        long frameTimeoutMs = guard.limits().frameReadTimeoutMs();
        if (frameTimeoutMs > 0) {
            sweepTimer = vertx.setPeriodic(Math.max(10, Math.min(1_000, frameTimeoutMs / 2)),
                    id -> closeSlowFrames(frameTimeoutMs));
        }
        return server.listen();
    }

    @Override
    public Future<?> stop() {
        if (sweepTimer >= 0) {
            vertx.cancelTimer(sweepTimer);
        }
        return Future.succeededFuture();
    }

    private void closeSlowFrames(long frameTimeoutMs) {
        if (open.isEmpty()) {
            return;
        }
        long startedBefore = System.currentTimeMillis() - frameTimeoutMs;
        for (RemotingConnection connection : open.toArray(RemotingConnection[]::new)) {
            if (connection.partialFrameStartedBefore(startedBefore)) {
                guard.count(ConnectionGuard.Reason.SLOW_FRAME);
                connection.close();
            }
        }
    }

    public int actualPort() {
        return server.actualPort();
    }
}

package io.tern.remoting;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetServerOptions;
import java.util.concurrent.TimeUnit;

/**
 * Accepts remoting connections on one event loop. Deployed with one instance per event loop; the instances
 * share the listening port (Vert.x server sharing), so connections spread over all loops.
 */
public final class RemotingServerVerticle extends VerticleBase {
    /** Connections with no read and no write for this long are closed (Netty all-idle in the reference). */
    public static final int IDLE_TIMEOUT_SECONDS = 120;

    private final String host;
    private final int port;
    private final ProcessorTable processors;
    private final ConnectionListener listener;
    private NetServer server;

    public RemotingServerVerticle(String host, int port, ProcessorTable processors, ConnectionListener listener) {
        this.host = host;
        this.port = port;
        this.processors = processors;
        this.listener = listener;
    }

    @Override
    public Future<?> start() {
        NetServerOptions options = new NetServerOptions()
                .setHost(host)
                .setPort(port)
                .setTcpNoDelay(true)
                .setReuseAddress(true)
                .setIdleTimeout(IDLE_TIMEOUT_SECONDS)
                .setIdleTimeoutUnit(TimeUnit.SECONDS);
        server = vertx.createNetServer(options);
        server.connectHandler(socket -> {
            RemotingConnection connection = new RemotingConnection(vertx, context, socket, processors);
            listener.onConnected(connection);
        });
        return server.listen();
    }

    public int actualPort() {
        return server.actualPort();
    }
}

package io.tern.remoting;

import io.tern.remoting.security.ConnectionGuard;
import io.tern.remoting.security.ServerTls;
import io.tern.remoting.security.TlsSettings;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A deployed set of {@link RemotingServerVerticle}s sharing one port. Deployed from a verticle, the server
 * verticles are children of that verticle's deployment and stop with it.
 */
public final class RemotingServer {
    private final Vertx vertx;
    private final String deploymentId;
    private final int port;

    private RemotingServer(Vertx vertx, String deploymentId, int port) {
        this.vertx = vertx;
        this.deploymentId = deploymentId;
        this.port = port;
    }

    /**
     * Deploys {@code instances} server verticles. Port 0 picks a free port shared by the instances of this
     * deployment only ({@link ListenPort}).
     */
    public static Future<RemotingServer> deploy(Vertx vertx, String host, int port, int instances,
                                                ProcessorTable processors, ConnectionListener listener) {
        return deploy(vertx, host, port, instances, processors, listener, TlsSettings.DISABLED,
                ConnectionGuard.withDefaults());
    }

    /**
     * As {@link #deploy(Vertx, String, int, int, ProcessorTable, ConnectionListener)}, with TLS and the guard that
     * admits connections (pass one guard to several servers for limits over all of them).
     */
    public static Future<RemotingServer> deploy(Vertx vertx, String host, int port, int instances,
                                                ProcessorTable processors, ConnectionListener listener,
                                                TlsSettings tlsSettings, ConnectionGuard guard) {
        ServerTls tls;
        try {
            tls = ServerTls.create(vertx, tlsSettings);
        } catch (IllegalArgumentException e) {
            return Future.failedFuture(e);
        }
        int bindPort = ListenPort.toBind(port);
        List<RemotingServerVerticle> deployed = new CopyOnWriteArrayList<>();
        return vertx.deployVerticle(() -> {
            RemotingServerVerticle v = new RemotingServerVerticle(host, bindPort, processors, listener, tls, guard);
            deployed.add(v);
            return v;
        }, new DeploymentOptions().setInstances(Math.max(1, instances)))
                .map(id -> new RemotingServer(vertx, id, deployed.get(0).actualPort()));
    }

    public int port() {
        return port;
    }

    public Future<Void> close() {
        return vertx.undeploy(deploymentId);
    }
}

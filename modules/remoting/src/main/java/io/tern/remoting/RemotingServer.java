package io.tern.remoting;

import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/** A deployed set of {@link RemotingServerVerticle}s sharing one port. */
public final class RemotingServer {
    /** Vert.x shares one random port among servers bound to the same negative port: one key per deployment. */
    private static final AtomicInteger NEXT_SHARED_RANDOM_PORT = new AtomicInteger(-1);

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
     * deployment only (Vert.x treats a negative port as "one random port for every server bound to it").
     */
    public static Future<RemotingServer> deploy(Vertx vertx, String host, int port, int instances,
                                                ProcessorTable processors, ConnectionListener listener) {
        int bindPort = port == 0 ? NEXT_SHARED_RANDOM_PORT.getAndDecrement() : port;
        List<RemotingServerVerticle> deployed = new CopyOnWriteArrayList<>();
        return vertx.deployVerticle(() -> {
            RemotingServerVerticle v = new RemotingServerVerticle(host, bindPort, processors, listener);
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

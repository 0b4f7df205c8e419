package io.tern.store.impl;

import io.vertx.core.Context;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.ThreadingModel;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.shareddata.LocalMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;

/**
 * Deploys one store's worker verticles and undeploys them, each on its own named worker pool of one thread:
 * pool {@code tern-store-<role>}, thread {@code tern-store-<role>-0}.
 *
 * <p>Vert.x shares a named worker pool among every deployment of one Vertx that names it (the first one's size
 * wins), so a second store on the same Vertx — two brokers in one JVM — would put its writer on the first store's
 * writer thread. Each store therefore claims a pool-name suffix that no running store of its Vertx holds: the
 * first store "", the next "#2" (pool {@code tern-store-writer#2}, thread {@code tern-store-writer#2-0}), and so
 * on. Claims live in a local map of the Vertx and are given back by {@link #close}, so a restarted store gets its
 * names back.
 *
 * <p>Thread contract: one store's start or shutdown thread at a time; every call blocks, so never on an event
 * loop.
 */
final class StoreVerticles {
    private static final Logger log = LoggerFactory.getLogger(StoreVerticles.class);
    static final String POOL_PREFIX = "tern-store-";
    private static final String CLAIMS = "tern.store.workerPoolSuffixes";

    private final Vertx vertx;
    private final String suffix;
    /** Deployment id by role, in deployment order. */
    private final Map<String, String> deployed = new LinkedHashMap<>();

    private StoreVerticles(Vertx vertx, String suffix) {
        this.vertx = vertx;
        this.suffix = suffix;
    }

    /** Claims a pool-name suffix on {@code vertx} for the store at {@code owner} (a description for the map). */
    static StoreVerticles claim(Vertx vertx, String owner) {
        LocalMap<String, String> claims = vertx.sharedData().getLocalMap(CLAIMS);
        for (int n = 1; ; n++) {
            String suffix = n == 1 ? "" : "#" + n;
            if (claims.putIfAbsent(suffix, owner) == null) {
                return new StoreVerticles(vertx, suffix);
            }
        }
    }

    String poolName(String role) {
        return POOL_PREFIX + role + suffix;
    }

    /** Deploys {@code verticle} as a worker on the pool of {@code role}; returns once its start completed. */
    void deploy(String role, VerticleBase verticle) throws IOException {
        DeploymentOptions options = new DeploymentOptions()
                .setThreadingModel(ThreadingModel.WORKER)
                .setWorkerPoolName(poolName(role))
                .setWorkerPoolSize(1);
        deployed.put(role, await(vertx.deployVerticle(verticle, options), "deploying the store " + role));
    }

    /**
     * Undeploys the verticle of {@code role}, if deployed; its stop runs on its own thread after the task it is
     * running. Returns once it is gone. A failure (the Vertx closed first) is logged: shutdown goes on.
     */
    void undeploy(String role) {
        String id = deployed.remove(role);
        if (id == null) {
            return;
        }
        try {
            await(vertx.undeploy(id), "undeploying the store " + role);
        } catch (IOException e) {
            log.warn("{}", e.getMessage());
        }
    }

    /** Undeploys whatever is still deployed, newest first, and gives the pool names back. */
    void close() {
        List<String> newestFirst = new ArrayList<>(deployed.keySet());
        Collections.reverse(newestFirst);
        newestFirst.forEach(this::undeploy);
        vertx.sharedData().<String, String>getLocalMap(CLAIMS).remove(suffix);
    }

    /** Blocks for {@code f}; the store's start and shutdown are blocking by contract. */
    static <T> T await(Future<T> f, String what) throws IOException {
        if (Context.isOnEventLoopThread()) {
            throw new IllegalStateException(what + ": the store starts and stops blocking, not on an event loop");
        }
        try {
            return f.toCompletionStage().toCompletableFuture().get();
        } catch (ExecutionException e) {
            throw new IOException(what + " failed: " + e.getCause(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException(what + " interrupted");
        }
    }
}

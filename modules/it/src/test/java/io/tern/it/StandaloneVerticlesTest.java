package io.tern.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tern.broker.http.HttpApi;
import io.tern.broker.ha.HaMaster;
import io.tern.broker.ha.Replication;
import io.tern.broker.schedule.ScheduledDeliveryVerticle;
import io.tern.broker.schedule.TimerDeliveryVerticle;
import io.tern.broker.transaction.TransactionCheckVerticle;
import io.tern.nameserver.NameServerVerticle;
import io.tern.remoting.RemotingServerVerticle;
import io.tern.server.Role;
import io.tern.server.TernNode;
import io.vertx.core.ThreadingModel;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A standalone node is made of verticles (design.md): the nameserver, the broker, their remoting servers (one instance
 * per event loop), the HTTP API, scheduled delivery and the transaction checker each a deployment of its own, all on
 * event loops; the store's writer, flusher, segment allocator and housekeeping are worker verticles, each on a
 * single-thread pool of its own, and so is the replication master. Stopping the node undeploys every one of them.
 */
class StandaloneVerticlesTest {
    @TempDir
    Path storeRoot;

    @Test
    void aStandaloneNodeRunsItsRolesAsVerticles() throws Exception {
        Vertx vertx = Vertx.vertx();
        try {
            TernNode node = TernNode.start(vertx, Role.STANDALONE, config()).await(60, TimeUnit.SECONDS);
            List<Deployments.Deployed> deployed = Deployments.of(vertx);
            Map<String, Integer> deploymentsByVerticle = new TreeMap<>();
            for (Deployments.Deployed d : deployed) {
                deploymentsByVerticle.merge(d.verticle(), 1, Integer::sum);
            }
            assertEquals(1, deploymentsByVerticle.get(NameServerVerticle.class.getName()), deployed.toString());
            assertEquals(1, deploymentsByVerticle.get("io.tern.broker.BrokerVerticle"), deployed.toString());
            assertEquals(2, deploymentsByVerticle.get(RemotingServerVerticle.class.getName()),
                    "the nameserver's and the broker's: " + deployed);
            assertEquals(1, deploymentsByVerticle.get(HttpApi.class.getPackageName() + ".HttpApiVerticle"),
                    deployed.toString());
            assertEquals(1, deploymentsByVerticle.get(ScheduledDeliveryVerticle.class.getName()), deployed.toString());
            assertEquals(1, deploymentsByVerticle.get(TransactionCheckVerticle.class.getName()), deployed.toString());
            assertEquals(1, deploymentsByVerticle.get("io.tern.broker.pop.PopReviveVerticle"), deployed.toString());
            // replication (issue 11): the master's side is a worker verticle on its own single-thread pool
            List<Deployments.Deployed> ha = deployed.stream()
                    .filter(d -> d.verticle().equals(HaMaster.class.getName())).toList();
            assertEquals(1, ha.size(), deployed.toString());
            assertEquals(ThreadingModel.WORKER, ha.get(0).threadingModel());
            assertEquals(Replication.MASTER_POOL, ha.get(0).workerPool());
            assertEquals(1, ha.get(0).workerPoolSize());
            List<Deployments.Deployed> timer = deployed.stream()
                    .filter(d -> d.verticle().equals(TimerDeliveryVerticle.class.getName())).toList();
            assertEquals(1, timer.size(), deployed.toString());
            assertEquals(ThreadingModel.WORKER, timer.get(0).threadingModel());
            assertEquals(TimerDeliveryVerticle.POOL, timer.get(0).workerPool());
            assertEquals(1, timer.get(0).workerPoolSize());
            for (Deployments.Deployed d : deployed) {
                if (!d.verticle().startsWith("io.tern.store.") && !d.verticle().equals(HaMaster.class.getName())
                        && !d.verticle().equals(TimerDeliveryVerticle.class.getName())) {
                    assertEquals(ThreadingModel.EVENT_LOOP, d.threadingModel(), d.toString());
                }
            }
            assertTrue(deployed.stream().filter(d -> d.verticle().equals(RemotingServerVerticle.class.getName()))
                    .allMatch(d -> d.instances() >= 1), deployed.toString());
            // the store's threads: worker verticles, each on a single-thread pool of its own
            for (String role : List.of("writer", "flusher", "allocator", "housekeeping")) {
                String verticle = "io.tern.store.impl." + switch (role) {
                    case "writer" -> "StoreWriter";
                    case "flusher" -> "Flusher";
                    case "allocator" -> "SegmentAllocator";
                    default -> "Housekeeping";
                };
                List<Deployments.Deployed> workers = deployed.stream()
                        .filter(d -> d.verticle().equals(verticle)).toList();
                assertEquals(1, workers.size(), verticle + " in " + deployed);
                assertEquals(ThreadingModel.WORKER, workers.get(0).threadingModel(), workers.toString());
                assertEquals("tern-store-" + role, workers.get(0).workerPool(), workers.toString());
                assertEquals(1, workers.get(0).workerPoolSize(), workers.toString());
            }

            node.stop().await(60, TimeUnit.SECONDS);
            assertEquals(List.of(), Deployments.of(vertx), "stopping the node undeploys every verticle");
        } finally {
            vertx.close().await(60, TimeUnit.SECONDS);
        }
    }

    private JsonObject config() {
        return new JsonObject()
                .put("nameserver", new JsonObject().put("listenPort", 0).put("host", "127.0.0.1"))
                .put("broker", new JsonObject()
                        .put("listenPort", 0)
                        .put("host", "127.0.0.1")
                        .put("brokerIP1", "127.0.0.1")
                        .put("httpPort", 0)
                        .put("fastListenPortEnable", false)
                        .put("store", new JsonObject()
                                .put("storeRoot", storeRoot.toString())
                                .put("commitLogSegmentBytes", 4 * 1024 * 1024)
                                .put("warmMappedFile", false)));
    }
}

package io.tern.store.impl;

import io.tern.store.StoreConfig;
import io.tern.store.StoreConfig.FlushMode;
import io.vertx.core.Context;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.ThreadingModel;
import io.vertx.core.Vertx;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.internal.deployment.Deployment;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.stream.Collectors;

import static io.tern.store.impl.TestSupport.message;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every thread the store owns is a Vert.x worker verticle on its own single-thread named pool: seen from the
 * deployments (threading model, pool name and size) and from inside the work (the context and thread a flush, a
 * segment allocation, an append, a dispatch and a disk check run on). Shutdown undeploys them all, and a second
 * store on the same Vertx gets pools (and threads) of its own.
 */
class WorkerVerticlesTest extends WithVertx {
    private static final String TOPIC = "Verticles";

    @TempDir
    Path dir;

    /** One piece of work seen running: what it was, the deployment of its context, its thread. */
    record Sighting(String work, String deploymentId, boolean onWorkerContext, String thread) {
    }

    /** Store hooks and an arrival listener that note where each kind of work runs. */
    static final class Spy implements StoreHooks {
        final ConcurrentLinkedQueue<Sighting> seen = new ConcurrentLinkedQueue<>();

        void saw(String work) {
            Context c = Vertx.currentContext();
            seen.add(new Sighting(work, c == null ? null : c.deploymentID(), c != null && c.isWorkerContext(),
                    Thread.currentThread().getName()));
        }

        @Override
        public LongSupplier clock() {
            return () -> {
                saw("clock");
                return System.currentTimeMillis();
            };
        }

        @Override
        public void beforeFlush() {
            saw("flush");
        }

        @Override
        public void beforeAllocate(long startOffset) {
            saw("allocate");
        }

        Set<String> deploymentsOf(String work) {
            return seen.stream().filter(s -> s.work().equals(work) && s.deploymentId() != null)
                    .map(Sighting::deploymentId).collect(Collectors.toSet());
        }

        boolean seenIn(String work, String deploymentId) {
            return deploymentsOf(work).contains(deploymentId);
        }
    }

    @ParameterizedTest
    @EnumSource(FlushMode.class)
    void eachStoreThreadIsAWorkerVerticleOnItsOwnSingleThreadPool(FlushMode mode) throws Exception {
        StoreConfig c = TestSupport.smallConfig(dir);
        c.flushMode = mode;
        Spy spy = new Spy();
        Set<String> before = vertx.deploymentIDs();
        DefaultMessageStore store = new DefaultMessageStore(vertx, c, spy);
        store.addArrivalListener((topic, queueId, offset, tagsCode, storeTs) -> spy.saw("arrival"));
        store.start();
        Map<String, String> idByRole;
        try {
            idByRole = rolesOf(added(before));
            Set<String> expected = mode == FlushMode.SYNC_FLUSH
                    ? Set.of("writer", "flusher", "dispatcher", "housekeeping", "allocator")
                    : Set.of("writer", "flusher", "housekeeping", "allocator");
            assertEquals(expected, idByRole.keySet(), "one deployment per store thread");
            for (Map.Entry<String, String> e : idByRole.entrySet()) {
                DeploymentOptions o = deployment(e.getValue()).options();
                assertEquals(ThreadingModel.WORKER, o.getThreadingModel(), e.getKey());
                assertEquals(1, o.getWorkerPoolSize(), e.getKey() + " pool size");
                assertEquals("tern-store-" + e.getKey(), o.getWorkerPoolName(), e.getKey() + " pool name");
            }

            // 150 puts of ~1 KiB roll the 64 KiB segments a few times: new segments are allocated ahead
            for (int i = 0; i < 150; i++) {
                assertTrue(store.put(message(TOPIC, i % 4, i + "-" + "x".repeat(1000))).join().isStored());
            }
            TestSupport.await("a flush, an allocation and a disk check",
                    () -> spy.seenIn("flush", idByRole.get("flusher"))
                            && spy.seenIn("allocate", idByRole.get("allocator"))
                            && spy.seenIn("clock", idByRole.get("housekeeping")));
        } finally {
            store.shutdown();
        }
        assertEquals(before, vertx.deploymentIDs(), "shutdown undeploys every store verticle");

        String dispatching = mode == FlushMode.SYNC_FLUSH ? "dispatcher" : "writer";
        assertEquals(Set.of(idByRole.get("flusher")), spy.deploymentsOf("flush"), "fsyncs run on the flusher");
        assertEquals(Set.of(idByRole.get("allocator")), spy.deploymentsOf("allocate"),
                "segments are created on the allocator");
        assertEquals(Set.of(idByRole.get(dispatching)), spy.deploymentsOf("arrival"),
                "arrivals are announced by the " + dispatching);
        assertTrue(spy.seenIn("clock", idByRole.get("writer")), "the writer stamps store times");
        assertTrue(spy.seenIn("clock", idByRole.get("housekeeping")), "housekeeping judges file age");

        Map<String, Set<String>> threadsByDeployment = new HashMap<>();
        for (Sighting s : spy.seen) {
            if (s.deploymentId() != null) {
                assertTrue(s.onWorkerContext(), s + " runs on a worker context");
                threadsByDeployment.computeIfAbsent(s.deploymentId(), k -> new HashSet<>()).add(s.thread());
            }
        }
        assertEquals(new HashSet<>(idByRole.values()), threadsByDeployment.keySet(),
                "work was seen inside every store verticle, and inside nothing else");
        Set<String> allThreads = new HashSet<>();
        for (Map.Entry<String, String> e : idByRole.entrySet()) {
            Set<String> threads = threadsByDeployment.get(e.getValue());
            assertEquals(1, threads.size(), e.getKey() + " runs on one thread: " + threads);
            String thread = threads.iterator().next();
            assertTrue(thread.startsWith("tern-store-" + e.getKey() + "-"), e.getKey() + " thread " + thread);
            assertTrue(allThreads.add(thread), "threads are not shared: " + thread);
        }
    }

    @Test
    void twoStoresOnOneVertxGetPoolsAndThreadsOfTheirOwn() throws Exception {
        Set<String> before = vertx.deploymentIDs();
        DefaultMessageStore first = new DefaultMessageStore(vertx, TestSupport.smallConfig(dir.resolve("a")));
        first.start();
        Set<String> firstIds = added(before);
        DefaultMessageStore second = new DefaultMessageStore(vertx, TestSupport.smallConfig(dir.resolve("b")));
        try {
            second.start();
            Set<String> secondIds = added(before);
            secondIds.removeAll(firstIds);
            Map<String, String> firstRoles = rolesOf(firstIds);
            Map<String, String> secondRoles = rolesOf(secondIds);
            assertEquals(firstRoles.keySet(), secondRoles.keySet());
            for (String role : firstRoles.keySet()) {
                assertEquals("tern-store-" + role, deployment(firstRoles.get(role)).options().getWorkerPoolName());
                assertEquals("tern-store-" + role + "#2",
                        deployment(secondRoles.get(role)).options().getWorkerPoolName(), "the second store's pool");
            }
            String firstWriter = threadOf(firstRoles.get("writer"));
            String secondWriter = threadOf(secondRoles.get("writer"));
            assertNotEquals(firstWriter, secondWriter, "each store has its own writer thread");
            assertTrue(secondWriter.startsWith("tern-store-writer#2-"), secondWriter);
        } finally {
            second.shutdown();
            first.shutdown();
        }
        assertEquals(before, vertx.deploymentIDs());

        DefaultMessageStore again = new DefaultMessageStore(vertx, TestSupport.smallConfig(dir.resolve("b")));
        again.start();
        try {
            String writer = rolesOf(added(before)).get("writer");
            assertEquals("tern-store-writer", deployment(writer).options().getWorkerPoolName(),
                    "stopped stores give their pool names back");
        } finally {
            again.shutdown();
        }
    }

    /** The thread a task on the deployment's context runs on. */
    private String threadOf(String deploymentId) throws Exception {
        Context context = deployment(deploymentId).contexts().iterator().next();
        CompletableFuture<String> thread = new CompletableFuture<>();
        context.runOnContext(v -> thread.complete(Thread.currentThread().getName()));
        return thread.get(30, TimeUnit.SECONDS);
    }

    private Set<String> added(Set<String> before) {
        Set<String> ids = new HashSet<>(vertx.deploymentIDs());
        ids.removeAll(before);
        return ids;
    }

    private Deployment deployment(String id) {
        return ((VertxInternal) vertx).deploymentManager().deployment(id).deployment();
    }

    /** Deployment id by store role, told apart by the class of the deployed verticle. */
    private Map<String, String> rolesOf(Set<String> ids) {
        Map<String, String> roles = new HashMap<>();
        for (String id : ids) {
            Object verticle = List.copyOf(deployment(id).instances()).get(0);
            String role = switch (verticle.getClass().getSimpleName()) {
                case "StoreWriter" -> "writer";
                case "Flusher" -> "flusher";
                case "Dispatcher" -> "dispatcher";
                case "Housekeeping" -> "housekeeping";
                case "SegmentAllocator" -> "allocator";
                default -> throw new AssertionError("not a store verticle: " + verticle);
            };
            assertNull(roles.put(role, id), "one " + role);
        }
        return roles;
    }
}

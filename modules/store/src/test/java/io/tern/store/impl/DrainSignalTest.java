package io.tern.store.impl;

import io.vertx.core.Context;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.ThreadingModel;
import io.vertx.core.VerticleBase;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The hand-off to a store worker verticle: every submitted item is drained, drains never overlap, a sleeping owner
 * is woken at most once per sleep, and an idle owner gives its context back (its task ends after the nap).
 */
class DrainSignalTest extends WithVertx {

    /** A worker verticle draining a queue of numbers the way the store's writer drains appends. */
    static final class Drainer extends VerticleBase {
        final ConcurrentLinkedQueue<Long> queue = new ConcurrentLinkedQueue<>();
        final AtomicLong drainedSum = new AtomicLong();
        final AtomicInteger drained = new AtomicInteger();
        final AtomicInteger active = new AtomicInteger();
        final AtomicInteger maxActive = new AtomicInteger();
        final DrainSignal signal = new DrainSignal(v -> drain());

        @Override
        public Future<?> start() {
            signal.bind(context);
            return Future.succeededFuture();
        }

        Context ownContext() {
            return context;
        }

        void submit(long item) {
            queue.offer(item);
            signal.wake();
        }

        private void drain() {
            maxActive.accumulateAndGet(active.incrementAndGet(), Math::max);
            try {
                while (true) {
                    Long item = queue.poll();
                    if (item != null) {
                        drainedSum.addAndGet(item);
                        drained.incrementAndGet();
                    } else if (!signal.sleepUnless(() -> !queue.isEmpty())) {
                        return;
                    }
                }
            } finally {
                active.decrementAndGet();
            }
        }
    }

    private Drainer deploy() throws Exception {
        Drainer d = new Drainer();
        vertx.deployVerticle(d, new DeploymentOptions().setThreadingModel(ThreadingModel.WORKER)
                .setWorkerPoolName("test-drainer").setWorkerPoolSize(1)).await(30, TimeUnit.SECONDS);
        return d;
    }

    @Test
    void everyItemIsDrainedByOneDrainAtATimeWithOneWakeUpPerSleep() throws Exception {
        Drainer d = deploy();
        int threads = 4;
        int perThread = 20_000;
        List<Thread> submitters = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            Thread th = new Thread(() -> {
                for (int i = 1; i <= perThread; i++) {
                    d.submit(i);
                    if (i % 500 == 0) {
                        // let the owner run dry now and then, so it naps and falls asleep between bursts
                        LockSupport.parkNanos(DrainSignal.NAP_NANOS + TimeUnit.MILLISECONDS.toNanos(1));
                    }
                }
            });
            th.start();
            submitters.add(th);
        }
        for (Thread th : submitters) {
            th.join();
        }
        TestSupport.await("everything drained", () -> d.drained.get() == threads * perThread);
        assertEquals((long) threads * perThread * (perThread + 1) / 2, d.drainedSum.get());
        assertEquals(1, d.maxActive.get(), "drains never overlap");
        assertTrue(d.signal.wakeUps() <= d.signal.naps(), d.signal.wakeUps() + " wake-ups, " + d.signal.naps()
                + " sleeps");
        assertTrue(d.signal.wakeUps() > 0, "the owner slept and was woken");
    }

    @Test
    void anIdleOwnerGivesItsContextBackAndWakesAgainOnTheNextItem() throws Exception {
        Drainer d = deploy();
        d.submit(7);
        TestSupport.await("first item", () -> d.drained.get() == 1);
        Context context = d.ownContext();
        // a task queued behind the drain runs only once the drain's task has ended after its nap
        CompletableFuture<Boolean> ranWhileIdle = new CompletableFuture<>();
        context.runOnContext(v -> ranWhileIdle.complete(d.active.get() == 0));
        assertTrue(ranWhileIdle.get(30, TimeUnit.SECONDS), "no drain was running");
        d.submit(8);
        TestSupport.await("woken by the next item", () -> d.drained.get() == 2);
        assertEquals(15, d.drainedSum.get());
    }
}

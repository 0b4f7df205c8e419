package io.tern.store.impl;

import io.tern.store.PutResult;
import io.tern.store.PutResult.PutStatus;
import io.tern.store.StoreConfig;
import io.tern.store.StoreStats;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import static io.tern.store.impl.TestSupport.message;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The bounded, lock-free hand-off to the writer: a full queue refuses puts, nothing accepted is lost, a
 * sleeping writer is woken once, not once per put offered while it is being scheduled, and the store's stats say
 * how long puts waited for the writer and spent in its batches.
 */
class WriterHandOffTest extends WithVertx {
    private static final int CAPACITY = 4;
    private static final int PUTS = CAPACITY * 4;

    @TempDir
    Path dir;

    @Test
    void fullQueueRefusesAndEveryAcceptedPutIsStoredInOrder() throws Exception {
        StoreConfig c = TestSupport.smallConfig(dir);
        c.writeQueueCapacity = CAPACITY;
        CountDownLatch release = new CountDownLatch(1);
        DefaultMessageStore store = new DefaultMessageStore(vertx, c, holdingTheWriter(new CountDownLatch(1), release));
        store.start();
        try {
            List<CompletableFuture<PutResult>> results = new ArrayList<>();
            for (int i = 0; i < PUTS; i++) {
                results.add(store.put(message("H", 0, "m" + i)));
            }
            release.countDown();
            int accepted = 0;
            int refused = 0;
            long expectedOffset = 0;
            for (CompletableFuture<PutResult> f : results) {
                PutResult r = f.get(30, TimeUnit.SECONDS);
                if (r.isStored()) {
                    assertEquals(expectedOffset++, r.queueOffset(), "accepted puts keep their order");
                    accepted++;
                } else {
                    assertEquals(PutStatus.SERVICE_NOT_AVAILABLE, r.status());
                    assertTrue(r.remark().startsWith("store busy"), r.remark());
                    refused++;
                }
            }
            // the writer holds at most one drained batch (<= CAPACITY) while the queue holds CAPACITY more
            assertTrue(accepted >= CAPACITY && accepted <= 2 * CAPACITY, "accepted " + accepted);
            assertEquals(PUTS, accepted + refused);
            assertEquals(accepted, store.maxOffsetInQueue("H", 0));
            PutResult after = store.put(message("H", 0, "after")).get(30, TimeUnit.SECONDS);
            assertTrue(after.isStored(), "the queue drains and takes puts again");
        } finally {
            release.countDown();
            store.shutdown();
        }
    }

    @Test
    void statsSplitAPutsTimeIntoWaitingForTheWriterAndItsBatch() throws Exception {
        StoreConfig c = TestSupport.smallConfig(dir);
        CountDownLatch writerHeld = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        DefaultMessageStore store = new DefaultMessageStore(vertx, c, holdingTheWriter(writerHeld, release));
        store.start();
        try {
            assertEquals(0, store.stats().writerRequests());
            List<CompletableFuture<PutResult>> results = new ArrayList<>();
            results.add(store.put(message("S", 0, "first")));
            assertTrue(writerHeld.await(30, TimeUnit.SECONDS));
            for (int i = 0; i < 4; i++) {
                results.add(store.put(message("S", 0, "held" + i)));
            }
            long heldMs = 100;
            Thread.sleep(heldMs);
            release.countDown();
            for (CompletableFuture<PutResult> f : results) {
                assertTrue(f.get(30, TimeUnit.SECONDS).isStored());
            }
            // the writer counts a batch after answering it
            StoreStats s = statsOnceTaken(store, 5);
            long held = TimeUnit.MILLISECONDS.toNanos(heldMs);
            // the first put's batch lasted the hold; each of the four others spent it queued or in that batch
            assertTrue(s.writerBatchNanos() >= held, "batch time " + s.writerBatchNanos());
            assertTrue(s.writerQueueNanos() + s.writerBatchNanos() >= 5 * held,
                    "queued " + s.writerQueueNanos() + " + batch " + s.writerBatchNanos());
            store.put(message("S", 0, "after")).get(30, TimeUnit.SECONDS);
            assertEquals(6, statsOnceTaken(store, 6).writerRequests());
        } finally {
            release.countDown();
            store.shutdown();
        }
    }

    /**
     * Holds the writer at its first append, which waits for that segment: counts {@code held} down, then awaits
     * {@code release}.
     */
    private static StoreHooks holdingTheWriter(CountDownLatch held, CountDownLatch release) {
        return new StoreHooks() {
            @Override
            public void beforeAllocate(long startOffset) throws IOException {
                held.countDown();
                try {
                    release.await(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    throw new InterruptedIOException();
                }
            }
        };
    }

    private static StoreStats statsOnceTaken(DefaultMessageStore store, long requests) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        StoreStats s = store.stats();
        while (s.writerRequests() < requests && System.nanoTime() < deadline) {
            Thread.sleep(5);
            s = store.stats();
        }
        assertEquals(requests, s.writerRequests());
        return s;
    }

    @Test
    void concurrentSubmittersWakeTheWriterAtMostOncePerSleep() throws Exception {
        StoreConfig c = TestSupport.smallConfig(dir);
        DefaultMessageStore store = new DefaultMessageStore(vertx, c, new StoreHooks() { });
        store.start();
        int threads = 4;
        int rounds = 150;
        int perRound = 8;
        try {
            List<CompletableFuture<PutResult>> results = Collections.synchronizedList(new ArrayList<>());
            // each round: the writer is asleep, then four threads offer a burst of puts at once
            CyclicBarrier start = new CyclicBarrier(threads,
                    () -> LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(2)));
            List<Thread> submitters = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int queueId = t;
                Thread th = new Thread(() -> {
                    try {
                        for (int round = 0; round < rounds; round++) {
                            start.await(30, TimeUnit.SECONDS);
                            for (int i = 0; i < perRound; i++) {
                                results.add(store.put(message("W", queueId, "r" + round + "m" + i)));
                            }
                        }
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                });
                th.start();
                submitters.add(th);
            }
            for (Thread th : submitters) {
                th.join(TimeUnit.SECONDS.toMillis(60));
            }
            assertEquals(threads * rounds * perRound, results.size());
            for (CompletableFuture<PutResult> f : results) {
                assertTrue(f.get(30, TimeUnit.SECONDS).isStored(), "every put is stored");
            }
            for (int q = 0; q < threads; q++) {
                assertEquals(rounds * perRound, store.maxOffsetInQueue("W", q), "nothing accepted is lost");
            }
            StoreWriter writer = store.writer();
            assertTrue(writer.naps() >= rounds, "the writer slept between rounds: " + writer.naps());
            assertTrue(writer.wakeUps() <= writer.naps(),
                    writer.wakeUps() + " wake-ups for " + writer.naps() + " sleeps");
        } finally {
            store.shutdown();
        }
    }
}

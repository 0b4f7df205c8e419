package io.tern.store.impl;

import io.tern.store.GetResult.GetStatus;
import io.tern.store.MessageFilter;
import io.tern.store.PutResult;
import io.tern.store.PutResult.PutStatus;
import io.tern.store.StoreConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static io.tern.store.impl.TestSupport.message;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FlushModeTest extends WithVertx {
    @TempDir
    Path dir;

    /** Holds every fsync until released. */
    static final class GatedFlush implements StoreHooks {
        volatile CountDownLatch gate = new CountDownLatch(0);

        @Override
        public void beforeFlush() throws IOException {
            try {
                gate.await();
            } catch (InterruptedException e) {
                throw new IOException(e);
            }
        }
    }

    @Test
    void syncFlushAnswersOnlyAfterTheFsyncAndHidesUnflushedRecords() throws Exception {
        StoreConfig c = TestSupport.smallConfig(dir);
        c.flushMode = StoreConfig.FlushMode.SYNC_FLUSH;
        GatedFlush hooks = new GatedFlush();
        DefaultMessageStore store = new DefaultMessageStore(vertx, c, hooks);
        store.start();
        try {
            PutResult first = store.put(message("S", 0, "first")).join();
            assertTrue(store.stats().flushedPhysicalOffset() >= first.physicalOffset() + first.wroteBytes());

            hooks.gate = new CountDownLatch(1);
            List<CompletableFuture<PutResult>> held = new ArrayList<>();
            List<long[]> flushedAtCompletion = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                CompletableFuture<PutResult> f = store.put(message("S", 0, "held" + i));
                f.thenAccept(r -> {
                    long flushed = store.stats().flushedPhysicalOffset();
                    synchronized (flushedAtCompletion) {
                        flushedAtCompletion.add(new long[]{r.physicalOffset() + r.wroteBytes(), flushed});
                    }
                });
                held.add(f);
            }
            TestSupport.await("records written", () -> store.stats().maxPhysicalOffset() > first.wroteBytes() * 15L);
            Thread.sleep(50);
            for (CompletableFuture<PutResult> f : held) {
                assertFalse(f.isDone(), "answered before its fsync");
            }
            assertEquals(1, store.maxOffsetInQueue("S", 0), "unflushed records must not be visible");
            assertEquals(GetStatus.OFFSET_OVERFLOW_ONE, store.get("S", 0, 1, 32, 1 << 20, MessageFilter.ALL).status());
            assertEquals(null, store.messageAt(first.wroteBytes()));

            hooks.gate.countDown();
            for (int i = 0; i < held.size(); i++) {
                PutResult r = held.get(i).join();
                assertEquals(PutStatus.PUT_OK, r.status());
                assertEquals(1 + i, r.queueOffset());
            }
            TestSupport.await("callbacks", () -> {
                synchronized (flushedAtCompletion) {
                    return flushedAtCompletion.size() == held.size();
                }
            });
            synchronized (flushedAtCompletion) {
                for (long[] endAndFlushed : flushedAtCompletion) {
                    assertTrue(endAndFlushed[1] >= endAndFlushed[0], "answered before flushed: " + endAndFlushed[1]);
                }
            }
            assertEquals(21, store.maxOffsetInQueue("S", 0));
        } finally {
            hooks.gate.countDown();
            store.shutdown();
        }
    }

    @Test
    void syncFlushTimesOutWithFlushDiskTimeoutButKeepsTheMessage() throws Exception {
        StoreConfig c = TestSupport.smallConfig(dir);
        c.flushMode = StoreConfig.FlushMode.SYNC_FLUSH;
        c.syncFlushTimeoutMs = 100;
        GatedFlush hooks = new GatedFlush();
        DefaultMessageStore store = new DefaultMessageStore(vertx, c, hooks);
        store.start();
        try {
            hooks.gate = new CountDownLatch(1);
            PutResult r = store.put(message("S", 0, "slow")).join();
            assertEquals(PutStatus.FLUSH_DISK_TIMEOUT, r.status());
            assertTrue(r.isStored());
            assertEquals(0, store.maxOffsetInQueue("S", 0));
            // queued behind one already answered, while the fsync still hangs: times out too
            PutResult second = store.put(message("S", 0, "slower")).get(30, TimeUnit.SECONDS);
            assertEquals(PutStatus.FLUSH_DISK_TIMEOUT, second.status());
            hooks.gate.countDown();
            TestSupport.await("dispatch after the late flush", () -> store.maxOffsetInQueue("S", 0) == 2);
            assertEquals(List.of("slow", "slower"), TestSupport.drain(store, "S", 0));
        } finally {
            hooks.gate.countDown();
            store.shutdown();
        }
    }

    @Test
    void asyncFlushAnswersAtOnceAndFlushesPeriodically() throws Exception {
        StoreConfig c = TestSupport.smallConfig(dir);
        c.flushMode = StoreConfig.FlushMode.ASYNC_FLUSH;
        c.flushCommitLogLeastPages = 4;
        c.flushCommitLogThoroughIntervalMs = 200;
        GatedFlush hooks = new GatedFlush();
        DefaultMessageStore store = new DefaultMessageStore(vertx, c, hooks);
        store.start();
        try {
            hooks.gate = new CountDownLatch(1);
            PutResult r = store.put(message("A", 0, "one")).join();
            assertEquals(PutStatus.PUT_OK, r.status(), "async does not wait for the disk");
            assertEquals(1, store.maxOffsetInQueue("A", 0));
            assertTrue(store.stats().flushedPhysicalOffset() < r.physicalOffset() + r.wroteBytes());
            hooks.gate.countDown();
            // less than 4 pages dirty: flushed by the thorough interval
            TestSupport.await("periodic flush", () -> store.stats().flushedPhysicalOffset() >= r.wroteBytes());
            for (int i = 0; i < 200; i++) {
                store.put(message("A", 0, "x".repeat(200))).join();
            }
            long end = store.stats().maxPhysicalOffset();
            TestSupport.await("flush of dirty pages", () -> store.stats().flushedPhysicalOffset() >= end);
        } finally {
            hooks.gate.countDown();
            store.shutdown();
        }
    }
}

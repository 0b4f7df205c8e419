package io.tern.store.impl;

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

import static io.tern.store.impl.TestSupport.message;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FaultTest extends WithVertx {
    @TempDir
    Path dir;

    static final class FailingFsync implements StoreHooks {
        volatile IOException fault;

        @Override
        public void beforeFlush() throws IOException {
            IOException e = fault;
            if (e != null) {
                throw e;
            }
        }
    }

    @Test
    void fullDiskFailsPendingPutsTurnsReadOnlyAndResumesWhenSpaceReturns() throws Exception {
        StoreConfig c = TestSupport.smallConfig(dir);
        c.diskHardLimitRatio = 100;
        c.diskMaxUsedSpaceRatio = 100;
        c.cleanFileForciblyEnable = false;
        c.diskCheckIntervalMs = 3_600_000;
        DefaultMessageStore store = new DefaultMessageStore(vertx, c);
        store.start();
        try {
            List<String> acked = new ArrayList<>();
            store.put(message("F", 0, "first")).join();
            acked.add("first");
            TestSupport.await("next segment pre-allocated",
                    () -> dir.resolve("commitlog").resolve(MappedSegment.name(c.commitLogSegmentBytes)).toFile()
                            .length() == c.commitLogSegmentBytes);
            // room for exactly one more segment
            c.diskCapacityBytesOverride = new DiskSpace(c, dir).storeBytes() + c.commitLogSegmentBytes + 8192;
            List<CompletableFuture<PutResult>> puts = new ArrayList<>();
            for (int i = 0; i < 400; i++) {
                puts.add(store.put(message("F", 0, i + "-" + "d".repeat(1000))));
            }
            PutResult firstFailure = null;
            for (int i = 0; i < puts.size(); i++) {
                PutResult r = puts.get(i).join();
                if (r.status() == PutStatus.PUT_OK) {
                    assertEquals(null, firstFailure, "a put succeeded after one failed");
                    acked.add(i + "-" + "d".repeat(1000));
                } else if (firstFailure == null) {
                    firstFailure = r;
                }
            }
            assertNotNull(firstFailure, "the disk never filled");
            assertEquals(PutStatus.SERVICE_NOT_AVAILABLE, firstFailure.status());
            assertTrue(firstFailure.remark().contains("No space left"), firstFailure.remark());
            // the same first words as the hard-limit refusal, whichever of the two notices the full disk first
            assertTrue(firstFailure.remark().startsWith("disk full: "), firstFailure.remark());
            assertFalse(store.isWritable());
            assertTrue(store.notWritableReason().contains("No space left"), store.notWritableReason());
            assertEquals(PutStatus.SERVICE_NOT_AVAILABLE, store.put(message("F", 0, "refused")).join().status());
            assertTrue(store.ioFaultCount() > 0);
            assertTrue(store.stats().putFailureCount() > 0);
            assertTrue(acked.size() > 60, "two segments' worth acknowledged: " + acked.size());
            assertEquals(acked, TestSupport.drain(store, "F", 0), "reads go on, nothing acknowledged lost");

            store.checkDiskNow();
            assertFalse(store.isWritable(), "still no space");
            c.diskCapacityBytesOverride = 0;
            store.checkDiskNow();
            assertTrue(store.isWritable(), store.notWritableReason());
            assertEquals(PutStatus.PUT_OK, store.put(message("F", 0, "resumed")).join().status());
            acked.add("resumed");
            assertEquals(acked, TestSupport.drain(store, "F", 0));
        } finally {
            store.shutdown();
        }
    }

    @Test
    void failedFsyncFailsWaitingPutsAndARetryReenablesWrites() throws Exception {
        StoreConfig c = TestSupport.smallConfig(dir);
        c.flushMode = StoreConfig.FlushMode.SYNC_FLUSH;
        FailingFsync hooks = new FailingFsync();
        DefaultMessageStore store = new DefaultMessageStore(vertx, c, hooks);
        store.start();
        try {
            assertEquals(PutStatus.PUT_OK, store.put(message("F", 0, "before")).join().status());
            hooks.fault = new IOException("Input/output error (injected)");
            PutResult failed = store.put(message("F", 0, "during")).join();
            assertEquals(PutStatus.SERVICE_NOT_AVAILABLE, failed.status());
            assertTrue(failed.remark().contains("fsync failed"), failed.remark());
            assertFalse(store.isWritable());
            assertTrue(store.notWritableReason().contains("Input/output error"));
            assertEquals(PutStatus.SERVICE_NOT_AVAILABLE, store.put(message("F", 0, "refused")).join().status());
            assertEquals("before", TestSupport.drain(store, "F", 0).get(0), "reads still served");
            assertTrue(store.ioFaultCount() >= 1);

            hooks.fault = null;
            TestSupport.await("retry succeeds", store::isWritable);
            assertEquals(PutStatus.PUT_OK, store.put(message("F", 0, "after")).join().status());
            List<String> bodies = TestSupport.drain(store, "F", 0);
            assertEquals("before", bodies.get(0));
            assertEquals("after", bodies.get(bodies.size() - 1));
        } finally {
            hooks.fault = null;
            store.shutdown();
        }
    }

    @Test
    void diskAboveTheHardLimitRefusesPutsUntilItDropsBelow() throws Exception {
        StoreConfig c = TestSupport.smallConfig(dir);
        c.diskCheckIntervalMs = 3_600_000;
        c.cleanFileForciblyEnable = false;
        DefaultMessageStore store = new DefaultMessageStore(vertx, c);
        store.start();
        try {
            store.put(message("H", 0, "kept")).join();
            long used = new DiskSpace(c, dir).storeBytes();
            c.diskCapacityBytesOverride = used * 100 / 95;
            store.checkDiskNow();
            assertFalse(store.isWritable());
            assertTrue(store.notWritableReason().contains("diskHardLimitRatio"), store.notWritableReason());
            PutResult refused = store.put(message("H", 0, "refused")).join();
            assertEquals(PutStatus.SERVICE_NOT_AVAILABLE, refused.status());
            assertTrue(refused.remark().contains("disk full"));
            assertEquals(List.of("kept"), TestSupport.drain(store, "H", 0));
            c.diskCapacityBytesOverride = used * 10;
            store.checkDiskNow();
            assertTrue(store.isWritable());
            assertEquals(PutStatus.PUT_OK, store.put(message("H", 0, "again")).join().status());
        } finally {
            store.shutdown();
        }
    }
}

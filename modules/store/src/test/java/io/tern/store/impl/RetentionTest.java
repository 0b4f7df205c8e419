package io.tern.store.impl;

import io.tern.store.GetResult;
import io.tern.store.GetResult.GetStatus;
import io.tern.store.MessageFilter;
import io.tern.store.StoreConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongSupplier;
import java.util.stream.Stream;

import static io.tern.store.impl.TestSupport.message;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RetentionTest extends WithVertx {
    @TempDir
    Path dir;

    static final class ShiftedClock implements StoreHooks {
        final AtomicLong shiftMs = new AtomicLong();

        @Override
        public LongSupplier clock() {
            return () -> System.currentTimeMillis() + shiftMs.get();
        }
    }

    private static long count(Path p) throws Exception {
        try (Stream<Path> s = Files.list(p)) {
            return s.count();
        }
    }

    @Test
    void expiredSegmentsAreDeletedWhileReadsGoOn() throws Exception {
        StoreConfig c = TestSupport.smallConfig(dir);
        c.deleteWhen = "";
        c.diskCheckIntervalMs = 3_600_000;
        ShiftedClock hooks = new ShiftedClock();
        DefaultMessageStore store = new DefaultMessageStore(vertx, c, hooks);
        store.start();
        AtomicBoolean reading = new AtomicBoolean(true);
        AtomicReference<Throwable> readerError = new AtomicReference<>();
        Thread reader = new Thread(() -> {
            try {
                while (reading.get()) {
                    long offset = store.minOffsetInQueue("Old", 0);
                    GetResult r = store.get("Old", 0, offset, 32, Integer.MAX_VALUE, MessageFilter.ALL);
                    for (ByteBuffer m : r.messages()) {
                        TestSupport.decode(m);
                    }
                }
            } catch (Throwable t) {
                readerError.set(t);
            }
        });
        try {
            for (int i = 0; i < 600; i++) {
                store.put(message("Old", 0, i + "-" + "r".repeat(600))).join();
            }
            long written = store.stats().maxPhysicalOffset();
            TestSupport.await("flushed", () -> store.stats().flushedPhysicalOffset() >= written);
            reader.start();
            GetResult held = store.get("Old", 0, 0, 4, Integer.MAX_VALUE, MessageFilter.ALL);
            long segmentsBefore = count(dir.resolve("commitlog"));
            long cqFilesBefore = count(dir.resolve("consumequeue/Old/0"));
            assertTrue(segmentsBefore >= 6, "segments: " + segmentsBefore);

            assertEquals(0, store.cleanupNow(), "nothing has expired yet");
            hooks.shiftMs.set((c.fileReservedTimeHours + 1) * 3_600_000L);
            int deleted = store.cleanupNow();
            assertTrue(deleted >= 4, "deleted " + deleted);

            long minPhysical = store.stats().minPhysicalOffset();
            assertTrue(minPhysical > 0);
            assertTrue(count(dir.resolve("commitlog")) < segmentsBefore);
            assertTrue(count(dir.resolve("consumequeue/Old/0")) < cqFilesBefore, "queue files follow");
            long min = store.minOffsetInQueue("Old", 0);
            assertTrue(min > 0);
            GetResult behind = store.get("Old", 0, 0, 32, Integer.MAX_VALUE, MessageFilter.ALL);
            assertEquals(GetStatus.OFFSET_TOO_SMALL, behind.status());
            assertEquals(min, behind.nextBeginOffset());
            GetResult first = store.get("Old", 0, min, 1, Integer.MAX_VALUE, MessageFilter.ALL);
            assertEquals(GetStatus.FOUND, first.status());
            TestSupport.Decoded d = TestSupport.decode(first.messages().get(0));
            assertTrue(d.physicalOffset() >= minPhysical);
            assertEquals(min + "-" + "r".repeat(600), d.body());
            assertEquals(d.storeTimestamp(), store.earliestMessageTime("Old", 0));
            List<String> rest = TestSupport.drain(store, "Old", 0);
            assertEquals(600 - min, rest.size());
            assertNull(store.messageAt(0), "deleted");
            // a view handed out before the deletion stays readable: the mapping is released by GC, not by us
            assertEquals("0-" + "r".repeat(600), TestSupport.body(held.messages().get(0)));
            assertEquals(600, store.put(message("Old", 0, "new")).join().queueOffset());
        } finally {
            reading.set(false);
            reader.join();
            store.shutdown();
        }
        assertNull(readerError.get());
        DefaultMessageStore reopened = new DefaultMessageStore(vertx, c);
        reopened.start();
        try {
            assertTrue(reopened.minOffsetInQueue("Old", 0) > 0);
            assertEquals(GetStatus.OFFSET_TOO_SMALL,
                    reopened.get("Old", 0, 0, 32, Integer.MAX_VALUE, MessageFilter.ALL).status());
            assertEquals("new", TestSupport.drain(reopened, "Old", 0).get(600 - (int) reopened.minOffsetInQueue(
                    "Old", 0)));
        } finally {
            reopened.shutdown();
        }
    }

    @Test
    void aboveTheForciblyRatioEvenYoungSegmentsGo() throws Exception {
        StoreConfig c = TestSupport.smallConfig(dir);
        c.deleteWhen = "";
        c.diskCheckIntervalMs = 3_600_000;
        c.diskHardLimitRatio = 100;
        DefaultMessageStore store = new DefaultMessageStore(vertx, c);
        store.start();
        try {
            for (int i = 0; i < 400; i++) {
                store.put(message("Young", 0, i + "-" + "y".repeat(600))).join();
            }
            long written = store.stats().maxPhysicalOffset();
            TestSupport.await("flushed", () -> store.stats().flushedPhysicalOffset() >= written);
            long used = new DiskSpace(c, dir).storeBytes();
            c.diskCapacityBytesOverride = used * 100 / 90;
            store.checkDiskNow();
            assertTrue(store.stats().minPhysicalOffset() > 0, "disk pressure deletes the oldest segments");
            assertTrue(new DiskSpace(c, dir).usedRatio() * 100 <= c.diskSpaceCleanForciblyRatio);
            assertTrue(store.minOffsetInQueue("Young", 0) > 0);
        } finally {
            store.shutdown();
        }
    }
}

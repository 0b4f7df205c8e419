package io.tern.store.impl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Pre-touching a commit-log segment ahead of the writer must put only the touched window into the page cache, in
 * short steps: faulting an uncached page of the mapping read around it up to the device's read-ahead window (8 MiB
 * on the benchmark machine), one 15–55 ms fault per 8 MiB that held a core (performance-notes, change 22). And the
 * zeros it writes instead must never land on bytes the owner stores meanwhile, nor on data of a file it did not
 * create. Checked against the real kernel with util-linux {@code fincore}.
 */
class PreTouchTest {
    private static final int KIB = 1024;
    private static final int MIB = 1024 * KIB;

    @TempDir
    Path dir;

    @Test
    void touchingAWindowOfAFreshSegmentCachesOnlyThatWindow() throws Exception {
        Path file = dir.resolve(MappedSegment.name(0));
        MappedSegment s = MappedSegment.open(file, 0, 64 * MIB, false);
        try {
            s.touch(0, MIB);
            assertEquals(MIB, s.touchedBytes());
            s.touch(MIB, 2 * MIB);
            assertEquals(2 * MIB, s.touchedBytes());
            long cached = cachedBytes(file);
            assertTrue(cached <= 2 * MIB + 64 * KIB, "page cache held after touching 2 MiB: " + cached + " bytes");
        } finally {
            s.close();
        }
    }

    @Test
    void storesAheadOfTheTouchingCacheOnlyThePagesTheyReach() throws Exception {
        // the segment prepared at store start is not touched ahead: the writer's first stores come before any touch
        Path file = dir.resolve(MappedSegment.name(0));
        MappedSegment s = MappedSegment.open(file, 0, 64 * MIB, false);
        try {
            int pos = 0;
            for (int record = 0; pos < MIB; record++) {
                int len = 64 + (record * 7919) % 3000;
                s.beforeStore(pos, pos + len);
                for (int i = 0; i < len; i++) {
                    s.buffer().put(pos + i, patternAt(pos + i));
                }
                pos += len;
            }
            long cached = cachedBytes(file);
            assertTrue(cached <= MIB + 64 * KIB, "page cache held after storing 1 MiB: " + cached + " bytes");
            for (int i = 0; i < pos; i++) {
                assertEquals(patternAt(i), s.buffer().get(i), "byte " + i);
            }
        } finally {
            s.close();
        }
    }

    @Test
    void zerosNeverLandOnWhatTheOwnerStoresWhileTheTouchingRunsAtItsHeels() throws Exception {
        int size = 16 * MIB;
        MappedSegment s = MappedSegment.open(dir.resolve(MappedSegment.name(0)), 0, size, false);
        AtomicInteger ownerPos = new AtomicInteger();
        AtomicBoolean done = new AtomicBoolean();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread toucher = new Thread(() -> {
            try {
                while (!done.get()) {
                    int at = ownerPos.get();
                    // a window of one chunk: the fills run right ahead of the owner, and now and then under it
                    s.touch(at, at + MappedSegment.FILL_CHUNK_BYTES);
                }
            } catch (Throwable e) {
                failure.set(e);
            }
        }, "toucher");
        toucher.start();
        int pos = 0;
        int record = 0;
        try {
            while (true) {
                int len = 64 + (record * 7919) % 3000;
                if (pos + len > size) {
                    break;
                }
                s.beforeStore(pos, pos + len);
                for (int i = 0; i < len; i++) {
                    s.buffer().put(pos + i, patternAt(pos + i));
                }
                pos += len;
                record++;
                ownerPos.set(pos);
            }
        } finally {
            done.set(true);
            toucher.join(TimeUnit.SECONDS.toMillis(30));
        }
        assertEquals(null, failure.get());
        for (int i = 0; i < pos; i++) {
            if (s.buffer().get(i) != patternAt(i)) {
                throw new AssertionError("byte " + i + " of " + pos + " overwritten: " + s.buffer().get(i));
            }
        }
        s.close();
    }

    @Test
    void aFileThisProcessDidNotCreateIsTouchedWithoutWritingZeros() throws Exception {
        Path file = dir.resolve(MappedSegment.name(0));
        MappedSegment first = MappedSegment.open(file, 0, 4 * MIB, false);
        for (int i = 0; i < 4 * MIB; i += 997) {
            first.buffer().put(i, patternAt(i));
        }
        first.force(0, 4 * MIB);
        first.close();

        MappedSegment again = MappedSegment.open(file, 0, 4 * MIB, false);
        again.touch(0, 4 * MIB);
        for (int i = 0; i < 4 * MIB; i += 997) {
            assertEquals(patternAt(i), again.buffer().get(i), "byte " + i);
        }
        again.close();
    }

    private static byte patternAt(int pos) {
        return (byte) (1 + pos % 251);
    }

    private static long cachedBytes(Path file) throws Exception {
        return ConsumeQueuePageCacheTest.cachedBytes(file);
    }
}

package io.tern.store.impl;

import io.tern.store.StoreConfig;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.ThreadingModel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;

class SegmentAllocatorTest extends WithVertx {
    private static final int KIB = 1024;

    @TempDir
    Path dir;

    @Test
    void preTouchKeepsAWindowAheadOfTheWriterInStepsThatKeepPaceWithIt() throws Exception {
        SegmentAllocator allocator = newAllocator();
        String deployment = deploy(allocator);
        try {
            MappedSegment segment = allocator.obtain(0);
            assertEquals(256 * KIB, segment.touchedBytes(), "the window is touched at creation");

            allocator.touchAhead(segment, 32 * KIB);
            assertEquals(256 * KIB, settled(allocator, segment), "less than a step used: nothing to do");

            allocator.touchAhead(segment, 160 * KIB);
            assertEquals(320 * KIB, settled(allocator, segment), "one step per call, not the whole shortfall");
            allocator.touchAhead(segment, 160 * KIB);
            assertEquals(384 * KIB, settled(allocator, segment));
            allocator.touchAhead(segment, 160 * KIB);
            assertEquals(384 * KIB, settled(allocator, segment), "less than a step short of the window: waits");

            // 160 -> 200 KiB since the last request: 80 KiB (twice that) from 384, up to the window (200 + 256)
            allocator.touchAhead(segment, 200 * KIB);
            assertEquals(456 * KIB, settled(allocator, segment), "twice the writer's advance, up to the window");
            // 200 -> 400 KiB: a writer of large records; 400 KiB more would pass the window (400 + 256)
            allocator.touchAhead(segment, 400 * KIB);
            assertEquals(656 * KIB, settled(allocator, segment), "a writer appending more than a step is followed by "
                    + "twice its advance, so it does not outrun the touching");
            allocator.touchAhead(segment, 900 * KIB);
            assertEquals(1024 * KIB, settled(allocator, segment), "up to the segment's end");
            segment.close();
        } finally {
            vertx.undeploy(deployment).await(30, TimeUnit.SECONDS);
        }
    }

    @Test
    void theSegmentPreparedAtStoreStartIsTouchedOnlyAsTheWriterAppends() throws Exception {
        SegmentAllocator allocator = newAllocator();
        String deployment = deploy(allocator);
        try {
            allocator.prepareUntouched(0);
            MappedSegment segment = allocator.obtain(0);
            assertEquals(0, segment.touchedBytes(), "nothing touched before the first append");

            allocator.touchAhead(segment, 4 * KIB);
            assertEquals(68 * KIB, settled(allocator, segment), "one step from the write position on");
            allocator.touchAhead(segment, 4 * KIB);
            assertEquals(132 * KIB, settled(allocator, segment), "and the window grows a step per append");

            allocator.prepare(1024 * KIB);
            MappedSegment next = allocator.obtain(1024 * KIB);
            assertEquals(256 * KIB, next.touchedBytes(), "a segment prepared while running gets its whole window");
            next.close();
            segment.close();
        } finally {
            vertx.undeploy(deployment).await(30, TimeUnit.SECONDS);
        }
    }

    /** The touched length once the allocator's thread has finished what it was given. */
    private static int settled(SegmentAllocator allocator, MappedSegment segment) throws InterruptedException {
        for (int i = 0; i < 1000 && allocator.touching(); i++) {
            Thread.sleep(5);
        }
        return segment.touchedBytes();
    }

    /** 1 MiB segments, a 256 KiB pre-touch window moved in 64 KiB steps. */
    private SegmentAllocator newAllocator() {
        StoreConfig config = TestSupport.smallConfig(dir);
        return new SegmentAllocator(dir, 1024 * KIB, true, false, new DiskSpace(config, dir), StoreHooks.DEFAULT,
                256 * KIB, 64 * KIB);
    }

    private String deploy(SegmentAllocator allocator) throws Exception {
        return vertx.deployVerticle(allocator, new DeploymentOptions()
                .setThreadingModel(ThreadingModel.WORKER).setWorkerPoolName("test-allocator").setWorkerPoolSize(1))
                .await(30, TimeUnit.SECONDS);
    }
}

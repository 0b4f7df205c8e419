package io.tern.store.impl;

import java.io.IOException;
import java.util.function.LongSupplier;

/**
 * Seams for tests: the clock the store stamps records and judges file age with, and fault injection before
 * each commit-log fsync and segment allocation. Production uses {@link #DEFAULT}.
 *
 * <p>Implementations must be thread-safe: they are called from the writer, flusher, allocator and housekeeping
 * threads (each a worker verticle of the store).
 */
public interface StoreHooks {
    StoreHooks DEFAULT = new StoreHooks() {
    };

    default LongSupplier clock() {
        return System::currentTimeMillis;
    }

    /** Called before every commit-log fsync; throw to simulate an I/O error. */
    default void beforeFlush() throws IOException {
    }

    /** Called before a commit-log segment file is created; throw to simulate a full disk. */
    default void beforeAllocate(long startOffset) throws IOException {
    }
}

package io.tern.store.impl;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Whether the store accepts puts, and why not, plus the counters behind {@link io.tern.store.StoreStats}.
 * Each condition that stops writes is a separate flag cleared only by the path that fixes it (a successful
 * fsync, a segment allocated after space returned, disk use back under the hard limit), so one clearing cannot
 * re-enable writes that another condition still forbids.
 *
 * <p>Thread-safe: flags are set and cleared from the writer, flusher and housekeeping threads and read anywhere.
 */
public final class StoreState {
    public enum Stop {
        /** A commit-log fsync failed: unflushed data may not be on disk. */
        FLUSH_FAILED,
        /** The next commit-log segment could not be created (disk full, I/O error). */
        ALLOCATION_FAILED,
        /** Copying into the mapped segment failed (a page could not get its block); rolled back. */
        WRITE_FAILED,
        /** Disk use is above diskHardLimitRatio. */
        DISK_FULL,
        SHUTTING_DOWN
    }

    private final String[] reasons = new String[Stop.values().length];
    private volatile int stops;
    private volatile String lastReason = "";

    public final AtomicLong putMessageCount = new AtomicLong();
    public final AtomicLong putFailureCount = new AtomicLong();
    public final AtomicLong ioFaultCount = new AtomicLong();
    /**
     * Requests the writer took, and their summed time queued for it and in its batch; written by the writer once
     * per batch ({@link io.tern.store.StoreStats}).
     */
    public final AtomicLong writerRequests = new AtomicLong();
    public final AtomicLong writerQueueNanos = new AtomicLong();
    public final AtomicLong writerBatchNanos = new AtomicLong();

    public synchronized void stop(Stop why, String reason) {
        reasons[why.ordinal()] = reason;
        stops |= 1 << why.ordinal();
        lastReason = reason;
    }

    public synchronized void clear(Stop why) {
        reasons[why.ordinal()] = null;
        stops &= ~(1 << why.ordinal());
        lastReason = "";
        for (String r : reasons) {
            if (r != null) {
                lastReason = r;
            }
        }
    }

    public boolean isStopped(Stop why) {
        return (stops & (1 << why.ordinal())) != 0;
    }

    /** A fault that also stops appends already queued (shutdown and the disk hard limit let those through). */
    public boolean hasFault() {
        return isStopped(Stop.FLUSH_FAILED) || isStopped(Stop.ALLOCATION_FAILED) || isStopped(Stop.WRITE_FAILED);
    }

    public boolean isWritable() {
        return stops == 0;
    }

    public String notWritableReason() {
        return stops == 0 ? "" : lastReason;
    }
}

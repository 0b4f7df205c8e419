package io.tern.store;

/** A snapshot of store positions and counters for runtime info and metrics. */
public record StoreStats(long minPhysicalOffset, long maxPhysicalOffset, long flushedPhysicalOffset,
                         long dispatchBehindBytes, long putMessageCount, long putFailureCount,
                         long earliestMessageTimestamp, double commitLogDiskRatio) {
}

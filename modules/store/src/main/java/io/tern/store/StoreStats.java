package io.tern.store;

/**
 * A snapshot of store positions and counters for runtime info and metrics.
 *
 * <p>The writer's three counters split a put's time in the store: {@code writerQueueNanos} sums, over every request
 * the writer took, the time from its hand-off to the writer's drain taking it (the writer waking, or busy with the
 * batch before); {@code writerBatchNanos} the time from that drain to the end of its batch (records copied in,
 * and under ASYNC_FLUSH dispatched and answered). Divided by {@code writerRequests}, the means per request.
 */
public record StoreStats(long minPhysicalOffset, long maxPhysicalOffset, long flushedPhysicalOffset,
                         long dispatchBehindBytes, long putMessageCount, long putFailureCount,
                         long earliestMessageTimestamp, double commitLogDiskRatio,
                         long writerRequests, long writerQueueNanos, long writerBatchNanos) {
}

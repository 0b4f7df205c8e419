package io.tern.store;

import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;

/**
 * The commit log as replication sees it: raw bytes at physical offsets. A master reads ranges of it to stream to
 * its slaves; a slave appends the same bytes at the same offsets, so both logs are byte-identical, and truncates a
 * tail that diverged from its master's.
 *
 * <p>Appends and truncations go through the store's single writer, in order with each other; the appended records
 * get consume-queue entries and index keys like local puts (so a slave serves pulls and queries). A store that
 * appends replicated bytes must not take local puts (a slave's broker refuses them).
 *
 * <p>Thread contract: {@link #read} and the offsets from any thread, lock-free; futures complete on a store thread.
 */
public interface ReplicaLog {

    /** Commit-log segment size: master and slave must agree on it, or offsets would land in different files. */
    int segmentBytes();

    /** First physical offset still held (retention deletes whole segments from the head). */
    long minOffset();

    /** End of the written log: the next append goes here. */
    long maxOffset();

    /**
     * Messages whose record ends after {@code physicalOffset}: what a copy of the log ending there lacks, counted
     * as consume-queue entries over all queues (a message is one entry; records of deleted topics no longer
     * count, and records not yet dispatched count once they are). Costs a few page reads per queue holding such
     * entries and one per other queue; reads only mapped pages, any thread.
     */
    long messagesAfter(long physicalOffset);

    /**
     * A read-only view of written bytes from {@code from}, at most {@code maxBytes} and never past the end of the
     * segment holding {@code from} (a segment's tail after its last record is an end-of-segment blank marker
     * followed by zeros, sent like records so the copy stays byte-identical). Empty when nothing is written at
     * {@code from} yet; null when {@code from} is below {@link #minOffset()}.
     */
    ByteBuffer read(long from, int maxBytes);

    /**
     * Appends {@code bytes}, copied from a master's log at {@code physicalOffset}, which must equal
     * {@link #maxOffset()} (or, in an empty log, be a segment start). The bytes may end inside a record only if
     * the next append continues it; they must not cross a segment end. Completes with the new end offset once
     * the records are dispatched (under SYNC_FLUSH: and on disk); fails when the offset does not fit or the
     * store cannot write.
     */
    CompletableFuture<Long> append(long physicalOffset, ByteBuffer bytes);

    /**
     * Cuts the log back to the last record boundary at or below {@code offset}: later bytes are zeroed or their
     * segments deleted, and consume-queue entries and index keys pointing there go; the queue offsets of later
     * local puts continue from the consume queues' ends (a replica promoted to master truncates to its end, even
     * when nothing is cut, before its first put). Completes with the new end.
     * Only while no {@link #append} is in flight.
     */
    CompletableFuture<Long> truncate(long offset);
}

package io.tern.store;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The message store: one commit log, consume queues and an index derived from it.
 *
 * <p>Thread contract: {@link #start()} and {@link #shutdown()} block and must be called off event loops (they
 * deploy and undeploy the store's worker verticles and wait for them).
 * {@link #put} and {@link #putBatch} never block: the record is encoded in the calling thread and handed to the
 * single store writer; the future completes on a store thread (the writer under ASYNC_FLUSH, the dispatcher
 * under SYNC_FLUSH; both worker-verticle threads, not the caller's context) once the flush policy is met
 * (ASYNC_FLUSH: appended and dispatched; SYNC_FLUSH: on disk and dispatched), or at once when refused. Reads
 * ({@link #get}, offsets, {@link #messageAt}) never block on locks and read mapped pages directly; they are safe
 * to call from event loops.
 */
public interface MessageStore {

    /** Opens or creates the store under its root, recovers after a crash, deploys its worker verticles. */
    void start() throws IOException;

    /**
     * Stops accepting puts, completes or fails every pending one, flushes, undeploys the worker verticles, writes
     * the checkpoint, removes the abort file.
     */
    void shutdown();

    CompletableFuture<PutResult> put(StoreMessage message);

    /** Appends messages of one topic-queue contiguously with consecutive queue offsets. */
    CompletableFuture<PutResult> putBatch(List<StoreMessage> messages);

    /** Reads up to {@code maxMsgNums} matching records (at most {@code maxBytes}) from logical offset {@code offset}. */
    GetResult get(String topic, int queueId, long offset, int maxMsgNums, int maxBytes, MessageFilter filter);

    /** Next logical offset to be written in the queue (number of entries ever written); 0 if unknown. */
    long maxOffsetInQueue(String topic, int queueId);

    /** First logical offset still readable; 0 if unknown. */
    long minOffsetInQueue(String topic, int queueId);

    /**
     * Logical offset of the first message stored at or after {@code timestamp} (RocketMQ 5's boundary); the max
     * offset when all are earlier; 0 for an unknown queue.
     */
    long offsetInQueueByTime(String topic, int queueId, long timestamp);

    /** Store time of the message at the queue's min offset, or -1. */
    long earliestMessageTime(String topic, int queueId);

    /** Store time of the message at {@code queueOffset}, or -1 when there is none. */
    long storeTime(String topic, int queueId, long queueOffset);

    /** The whole stored record at a commit-log offset (a read-only view), or null when there is none. */
    ByteBuffer messageAt(long commitLogOffset);

    /** Index query by {@code topic#key} within a store-time range; callers re-check keys (hash collisions). */
    QueryResult query(String topic, String key, int maxNum, long beginTimestamp, long endTimestamp);

    /** Drops the consume queues of a topic (the commit log keeps the records until retention). */
    void deleteTopic(String topic);

    /** Called on the dispatching store thread (writer or dispatcher) for every record given a consume-queue entry. */
    void addArrivalListener(ArrivalListener listener);

    /** Whether puts are accepted; when false {@link #notWritableReason()} says why (disk full, I/O error...). */
    boolean isWritable();

    String notWritableReason();

    StoreStats stats();

    /** The commit log as raw bytes, for master–slave replication. */
    ReplicaLog replicaLog();
}

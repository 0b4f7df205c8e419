package io.tern.store.impl;

import io.tern.common.message.StoredRecordLayout;
import io.tern.store.ArrivalListener;
import io.tern.store.GetResult;
import io.tern.store.MessageFilter;
import io.tern.store.MessageStore;
import io.tern.store.PutResult;
import io.tern.store.PutResult.PutStatus;
import io.tern.store.QueryResult;
import io.tern.store.ReplicaLog;
import io.tern.store.StoreConfig;
import io.tern.store.StoreMessage;
import io.tern.store.StoreStats;
import io.vertx.core.Vertx;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The store: wires the commit log, writer, flusher, dispatcher, consume queues, index, checkpoint, recovery and
 * cleanup together. Its threads are worker verticles on the Vertx it is given, each on its own single-thread
 * worker pool (see {@link StoreVerticles}): the allocator, housekeeping, flusher, dispatcher (SYNC_FLUSH only) and
 * writer, deployed in that order by {@link #start()} and undeployed in the reverse order by {@link #shutdown()}.
 * The store does not own the Vertx: close it after the store. Construct, then {@link #start()}; or use
 * {@link io.tern.store.MessageStores#open}.
 *
 * <p>Thread-safe as described on {@link MessageStore}: puts encode in the caller and hand off; reads are
 * lock-free; start and shutdown block (off event loops).
 */
public final class DefaultMessageStore implements MessageStore {
    private static final Logger log = LoggerFactory.getLogger(DefaultMessageStore.class);

    private final Vertx vertx;
    private final StoreConfig config;
    private final StoreHooks hooks;
    private final Path root;
    private final StoreState state = new StoreState();
    private final CopyOnWriteArrayList<ArrivalListener> listeners = new CopyOnWriteArrayList<>();
    private StoreLock lock;
    private CommitLog commitLog;
    private SegmentAllocator allocator;
    private ConsumeQueueTable queues;
    private IndexService index;
    private Dispatcher dispatcher;
    private Flusher flusher;
    private StoreWriter writer;
    private MessageLookup lookup;
    private StoreReplicaLog replicaLog;
    private ConsumeQueueReader reader;
    private CheckpointService checkpoints;
    private CleanupService cleanup;
    private DiskSpace disk;
    private Housekeeping housekeeping;
    private StoreVerticles verticles;
    private Recovery.Result recovery;
    private volatile boolean started;
    private volatile boolean writerStopped;

    public DefaultMessageStore(Vertx vertx, StoreConfig config) {
        this(vertx, config, StoreHooks.DEFAULT);
    }

    public DefaultMessageStore(Vertx vertx, StoreConfig config, StoreHooks hooks) {
        this.vertx = vertx;
        this.config = config;
        this.hooks = hooks;
        this.root = Path.of(config.storeRoot);
    }

    @Override
    public synchronized void start() throws IOException {
        if (started) {
            return;
        }
        if (config.commitLogSegmentBytes < 4096 || config.commitLogSegmentBytes > Integer.MAX_VALUE - 4096) {
            throw new IllegalArgumentException("commitLogSegmentBytes must be within 4 KiB .. 2 GiB: "
                    + config.commitLogSegmentBytes);
        }
        if (config.consumeQueueEntriesPerFile <= 0 || config.maxHashSlotNum <= 0 || config.maxIndexNum <= 1
                || config.writeQueueCapacity <= 0 || config.maxMessageBytes <= 0) {
            throw new IllegalArgumentException("consumeQueueEntriesPerFile, maxHashSlotNum, writeQueueCapacity and "
                    + "maxMessageBytes must be positive and maxIndexNum above 1");
        }
        Files.createDirectories(root);
        lock = StoreLock.acquire(root);
        boolean crashed = lock.abortFileExisted();
        Checkpoint cp = Checkpoint.read(root.resolve("checkpoint"));
        disk = new DiskSpace(config, root);
        int segmentBytes = (int) config.commitLogSegmentBytes;
        allocator = new SegmentAllocator(root.resolve("commitlog"), segmentBytes, config.warmMappedFile,
                config.commitLogReserveBlocks, disk, hooks);
        commitLog = new CommitLog(root.resolve("commitlog"), segmentBytes, allocator);
        queues = new ConsumeQueueTable(root.resolve("consumequeue"), config.consumeQueueEntriesPerFile);
        index = config.messageIndexEnable
                ? new IndexService(root.resolve("index"), config.maxHashSlotNum, config.maxIndexNum, hooks.clock())
                : null;
        boolean sync = config.flushMode == StoreConfig.FlushMode.SYNC_FLUSH;
        dispatcher = new Dispatcher(commitLog, queues, index, state, sync, config.syncFlushTimeoutMs, listeners);
        try {
            commitLog.load();
            queues.load();
            if (index != null) {
                index.load();
            }
            recovery = new Recovery(commitLog, queues, index, dispatcher, config.checkCrcOnRecover,
                    new DelayLevels(config.messageDelayLevel))
                    .run(crashed, cp);
        } catch (IOException | RuntimeException e) {
            lock.release(false);
            throw e;
        }
        dispatcher.setRecoveredEnd(recovery.endOffset());
        lookup = new MessageLookup(commitLog, dispatcher, index);
        reader = new ConsumeQueueReader(queues, commitLog, lookup);
        checkpoints = new CheckpointService(root.resolve("checkpoint"), commitLog, queues, index, dispatcher, state);
        checkpoints.checkpoint();
        flusher = new Flusher(commitLog, config, state, hooks, dispatcher::wake);
        writer = new StoreWriter(commitLog, state, dispatcher, flusher, hooks.clock(), config.writeQueueCapacity,
                queues.maxOffsets());
        replicaLog = new StoreReplicaLog(commitLog, queues, index, dispatcher, state, writer,
                new DelayLevels(config.messageDelayLevel));
        cleanup = new CleanupService(config, commitLog, queues, index, dispatcher, allocator, disk, state,
                hooks.clock());
        housekeeping = new Housekeeping(checkpoints, cleanup, config.flushIntervalConsumeQueueMs,
                config.diskCheckIntervalMs);
        deployThreads();
        state.clear(StoreState.Stop.SHUTTING_DOWN);
        writerStopped = false;
        started = true;
        log.info("store started at {}: commit log {}..{}, {} mode", root, commitLog.minOffset(),
                recovery.endOffset(), config.flushMode);
    }

    /** Deploys the store's verticles, the writer last; on failure undeploys them again and closes the files. */
    private void deployThreads() throws IOException {
        verticles = StoreVerticles.claim(vertx, root.toString());
        try {
            verticles.deploy("allocator", allocator);
            allocator.prepareUntouched(commitLog.nextSegmentStart());
            verticles.deploy("housekeeping", housekeeping);
            verticles.deploy("flusher", flusher);
            if (dispatcher.needsThread()) {
                verticles.deploy("dispatcher", dispatcher);
            }
            verticles.deploy("writer", writer);
        } catch (IOException | RuntimeException e) {
            verticles.close();
            closeFiles();
            lock.release(false);
            throw e;
        }
    }

    /**
     * Stops accepting puts, then undeploys the writer (it appends what is queued), flushes everything written on
     * the flusher's thread, undeploys the dispatcher (it answers every put the flush covers and fails the rest),
     * the flusher, housekeeping and the allocator; writes the final checkpoint and closes the files.
     */
    @Override
    public synchronized void shutdown() {
        if (!started) {
            return;
        }
        started = false;
        state.stop(StoreState.Stop.SHUTTING_DOWN, "store is shutting down");
        verticles.undeploy("writer");
        writerStopped = true;
        writer.failRemaining();
        try {
            StoreVerticles.await(flusher.flushAll(), "final flush");
        } catch (IOException e) {
            log.error("final flush did not run", e);
        }
        verticles.undeploy("dispatcher");
        verticles.undeploy("flusher");
        verticles.undeploy("housekeeping");
        verticles.undeploy("allocator");
        verticles.close();
        boolean clean = !state.hasFault();
        try {
            checkpoints.checkpoint();
        } catch (IOException e) {
            clean = false;
            log.error("final checkpoint failed; next start recovers as after a crash", e);
        }
        closeFiles();
        lock.release(clean);
        log.info("store stopped{}", clean ? "" : " after an I/O fault: next start runs crash recovery");
    }

    private void closeFiles() {
        commitLog.close();
        queues.close();
        if (index != null) {
            index.close();
        }
    }

    @Override
    public CompletableFuture<PutResult> put(StoreMessage message) {
        return putBatch(List.of(message));
    }

    @Override
    public CompletableFuture<PutResult> putBatch(List<StoreMessage> messages) {
        if (!started || !state.isWritable()) {
            return refuse(PutStatus.SERVICE_NOT_AVAILABLE, started ? state.notWritableReason() : "store not started",
                    messages.size());
        }
        if (messages.isEmpty()) {
            return refuse(PutStatus.MESSAGE_ILLEGAL, "empty batch", 0);
        }
        AppendRequest.Encoded[] encoded = new AppendRequest.Encoded[messages.size()];
        long total = 0;
        StoreMessage first = messages.get(0);
        for (int i = 0; i < encoded.length; i++) {
            StoreMessage m = messages.get(i);
            if (i > 0 && (!first.topic.equals(m.topic) || first.queueId != m.queueId)) {
                return refuse(PutStatus.MESSAGE_ILLEGAL, "a batch must target one topic-queue", messages.size());
            }
            StoredRecordLayout.Split record;
            try {
                record = RecordCodec.encode(m, config.maxMessageBytes);
            } catch (RecordCodec.InvalidMessageException e) {
                return refuse(e.propertiesTooLong ? PutStatus.PROPERTIES_SIZE_EXCEEDED : PutStatus.MESSAGE_ILLEGAL,
                        e.getMessage(), messages.size());
            }
            total += record.totalBytes();
            encoded[i] = new AppendRequest.Encoded(record, m.topic, m.queueId,
                    StoredRecordLayout.sysFlag(record.fixed()), m.tagsCode, m.keys, m.uniqKey, m.storeTimestamp);
        }
        if (total + StoredRecordLayout.BLANK_MARKER_BYTES > config.commitLogSegmentBytes) {
            return refuse(PutStatus.MESSAGE_ILLEGAL, "record of " + total
                    + " bytes does not fit a commit log segment of " + config.commitLogSegmentBytes + " bytes",
                    messages.size());
        }
        CompletableFuture<PutResult> future = new CompletableFuture<>();
        if (!writer.submit(new AppendRequest(encoded, future))) {
            return refuse(PutStatus.SERVICE_NOT_AVAILABLE, "store busy: writer queue full", messages.size());
        }
        if (writerStopped) {
            // raced with shutdown: nobody else will answer it
            writer.failRemaining();
        }
        return future;
    }

    private CompletableFuture<PutResult> refuse(PutStatus status, String remark, int count) {
        state.putFailureCount.addAndGet(count);
        return CompletableFuture.completedFuture(PutResult.failure(status, remark));
    }

    @Override
    public GetResult get(String topic, int queueId, long offset, int maxMsgNums, int maxBytes, MessageFilter filter) {
        return reader.get(topic, queueId, offset, maxMsgNums, maxBytes, filter);
    }

    @Override
    public long maxOffsetInQueue(String topic, int queueId) {
        ConsumeQueue cq = queues.find(topic, queueId);
        return cq == null ? 0 : cq.maxOffset();
    }

    @Override
    public long minOffsetInQueue(String topic, int queueId) {
        ConsumeQueue cq = queues.find(topic, queueId);
        return cq == null ? 0 : cq.minOffset();
    }

    @Override
    public long offsetInQueueByTime(String topic, int queueId, long timestamp) {
        return reader.offsetByTime(topic, queueId, timestamp);
    }

    @Override
    public long earliestMessageTime(String topic, int queueId) {
        return reader.earliestMessageTime(topic, queueId);
    }

    @Override
    public long storeTime(String topic, int queueId, long queueOffset) {
        return reader.storeTime(topic, queueId, queueOffset);
    }

    @Override
    public ByteBuffer messageAt(long commitLogOffset) {
        return lookup.messageAt(commitLogOffset);
    }

    @Override
    public QueryResult query(String topic, String key, int maxNum, long beginTimestamp, long endTimestamp) {
        return lookup.query(topic, key, Math.max(1, Math.min(maxNum, config.defaultQueryMaxNum)), beginTimestamp,
                endTimestamp);
    }

    @Override
    public void deleteTopic(String topic) {
        deleteTopicAsync(topic);
    }

    /**
     * Drops the topic's consume queues. Readers stop seeing them at once; the files go, and the topic's queue
     * offsets restart at 0, in order with the appends already queued; the future completes then.
     */
    public CompletableFuture<Void> deleteTopicAsync(String topic) {
        Map<Integer, ConsumeQueue> hidden = queues.snapshotTopic(topic);
        queues.hideTopic(topic);
        CompletableFuture<PutResult> done = new CompletableFuture<>();
        AppendRequest control = AppendRequest.control(() -> writer.forgetTopic(topic), () -> {
            try {
                queues.destroyTopic(topic, hidden);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            // a crash after this must not re-dispatch the topic's old records into fresh queues
            housekeeping.checkpointSoon();
        }, done);
        if (!started || !writer.submit(control)) {
            return CompletableFuture.failedFuture(new IllegalStateException("store not running or busy"));
        }
        return done.thenApply(r -> null);
    }

    @Override
    public void addArrivalListener(ArrivalListener listener) {
        listeners.add(listener);
    }

    @Override
    public boolean isWritable() {
        return started && state.isWritable();
    }

    @Override
    public String notWritableReason() {
        return started ? state.notWritableReason() : "store not started";
    }

    @Override
    public StoreStats stats() {
        if (commitLog == null || dispatcher == null) {
            return new StoreStats(0, 0, 0, 0, 0, 0, -1, 0, 0, 0, 0);
        }
        long min = commitLog.minOffset();
        long earliest = -1;
        MappedSegment first = commitLog.segmentFor(min);
        if (first != null && commitLog.writtenOffset() > min) {
            earliest = lookup.storeTimeAt(min);
        }
        return new StoreStats(min, commitLog.writtenOffset(), commitLog.flushedOffset(),
                commitLog.writtenOffset() - dispatcher.dispatchedOffset(), state.putMessageCount.get(),
                state.putFailureCount.get(), earliest, disk.usedRatio(), state.writerRequests.get(),
                state.writerQueueNanos.get(), state.writerBatchNanos.get());
    }

    /** Commit-log offset below which every record is visible to readers (SYNC_FLUSH: and on disk). */
    public long dispatchedOffset() {
        return dispatcher.dispatchedOffset();
    }

    /** Number of I/O faults (failed fsyncs, segment allocations, consume-queue flushes) since start. */
    public long ioFaultCount() {
        return state.ioFaultCount.get();
    }

    /** Runs retention now as if it were deleteWhen (expired segments go); returns the segments deleted. */
    public int cleanupNow() {
        return cleanup.run(true);
    }

    /** Runs the periodic disk check now: hard limit, retry of a failed allocation, retention by disk use. */
    public void checkDiskNow() {
        cleanup.run(false);
    }

    /** Flushes consume queues and index and writes the checkpoint now. */
    public void checkpointNow() throws IOException {
        synchronized (checkpoints) {
            checkpoints.checkpoint();
        }
    }

    @Override
    public ReplicaLog replicaLog() {
        return replicaLog;
    }

    Recovery.Result lastRecovery() {
        return recovery;
    }

    StoreWriter writer() {
        return writer;
    }

    public StoreConfig config() {
        return config;
    }
}

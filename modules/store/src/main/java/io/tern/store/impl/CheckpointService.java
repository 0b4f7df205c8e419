package io.tern.store.impl;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Every flushIntervalConsumeQueueMs: flushes consume queues and the index, then records in the checkpoint how
 * far the commit log, consume queues and index are on disk. The dispatched offset is read before the flush, so
 * every entry below the recorded position was written before it was flushed.
 *
 * <p>Not thread-safe; runs on the housekeeping thread (and once at start and shutdown, with no other running).
 */
final class CheckpointService implements Runnable {
    private static final Logger log = LoggerFactory.getLogger(CheckpointService.class);

    private final Path file;
    private final CommitLog commitLog;
    private final ConsumeQueueTable queues;
    private final IndexService index;
    private final Dispatcher dispatcher;
    private final StoreState state;

    CheckpointService(Path file, CommitLog commitLog, ConsumeQueueTable queues, IndexService index,
                      Dispatcher dispatcher, StoreState state) {
        this.file = file;
        this.commitLog = commitLog;
        this.queues = queues;
        this.index = index;
        this.dispatcher = dispatcher;
        this.state = state;
    }

    @Override
    public void run() {
        try {
            checkpoint();
        } catch (IOException | RuntimeException e) {
            state.ioFaultCount.incrementAndGet();
            log.error("consume queue / index flush or checkpoint failed", e);
        }
    }

    synchronized void checkpoint() throws IOException {
        long dispatched = dispatcher.dispatchedOffset();
        long storeTs = dispatcher.lastStoreTimestamp();
        long flushed = commitLog.flushedOffset();
        queues.flushAll();
        if (index != null) {
            index.flush();
        }
        new Checkpoint(storeTs, storeTs, storeTs, flushed, dispatched, dispatched).write(file);
    }
}

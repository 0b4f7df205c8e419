package io.tern.store.impl;

import io.tern.store.StoreConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Instant;
import java.time.ZoneId;
import java.util.function.LongSupplier;

/**
 * Disk health and retention, run every diskCheckIntervalMs on the housekeeping thread:
 * <ul>
 *   <li>disk use above diskHardLimitRatio refuses puts; back under it, puts resume;</li>
 *   <li>after a failed segment allocation (disk full) the next segment is tried again, and puts resume as soon
 *   as it exists;</li>
 *   <li>commit-log segments older than fileReservedTimeHours are deleted, oldest first, at the deleteWhen hour,
 *   when disk use passes diskMaxUsedSpaceRatio, or on {@link #run(boolean)} with {@code true}; above
 *   diskSpaceCleanForciblyRatio even younger ones go (RocketMQ's cleanFileForciblyEnable). The newest segment
 *   and anything not yet dispatched are kept. Consume-queue files, queue min offsets and index files follow.</li>
 * </ul>
 *
 * <p>Not thread-safe; runs on the housekeeping thread only (tests call it through the store, which serialises).
 */
final class CleanupService {
    private static final Logger log = LoggerFactory.getLogger(CleanupService.class);

    private final StoreConfig config;
    private final CommitLog commitLog;
    private final ConsumeQueueTable queues;
    private final IndexService index;
    private final Dispatcher dispatcher;
    private final SegmentAllocator allocator;
    private final DiskSpace disk;
    private final StoreState state;
    private final LongSupplier clock;

    CleanupService(StoreConfig config, CommitLog commitLog, ConsumeQueueTable queues, IndexService index,
                   Dispatcher dispatcher, SegmentAllocator allocator, DiskSpace disk, StoreState state,
                   LongSupplier clock) {
        this.config = config;
        this.commitLog = commitLog;
        this.queues = queues;
        this.index = index;
        this.dispatcher = dispatcher;
        this.allocator = allocator;
        this.disk = disk;
        this.state = state;
        this.clock = clock;
    }

    /** @param deleteExpiredNow delete expired segments whatever the hour and disk use */
    synchronized int run(boolean deleteExpiredNow) {
        try {
            int deleted = retention(deleteExpiredNow);
            checkHardLimit();
            retryAllocation();
            retryWrite();
            return deleted;
        } catch (IOException | RuntimeException e) {
            log.error("disk check / retention failed", e);
            return 0;
        }
    }

    private void checkHardLimit() {
        double ratio = disk.usedRatio();
        if (ratio * 100 > config.diskHardLimitRatio) {
            if (!state.isStopped(StoreState.Stop.DISK_FULL)) {
                String reason = String.format("disk full: %.1f%% used, above diskHardLimitRatio %d%%",
                        ratio * 100, config.diskHardLimitRatio);
                log.error("store refuses puts: {}", reason);
                state.stop(StoreState.Stop.DISK_FULL, reason);
            }
        } else if (state.isStopped(StoreState.Stop.DISK_FULL)) {
            log.warn("disk use back to {}%: store accepts puts again", Math.round(ratio * 100));
            state.clear(StoreState.Stop.DISK_FULL);
        }
    }

    private void retryWrite() {
        if (!state.isStopped(StoreState.Stop.WRITE_FAILED)) {
            return;
        }
        try {
            disk.checkRoomFor(config.commitLogSegmentBytes);
            log.warn("free space is back after a failed commit log write: store writable again");
            state.clear(StoreState.Stop.WRITE_FAILED);
        } catch (IOException e) {
            log.debug("still no room after a failed write: {}", e.toString());
        }
    }

    private void retryAllocation() {
        if (!state.isStopped(StoreState.Stop.ALLOCATION_FAILED)) {
            return;
        }
        long next = commitLog.nextSegmentStart();
        try {
            allocator.prepareNow(next);
            log.warn("commit log segment {} created after an earlier failure: store writable again", next);
            state.clear(StoreState.Stop.ALLOCATION_FAILED);
        } catch (IOException | RuntimeException e) {
            log.debug("segment {} still cannot be created: {}", next, e.toString());
        }
    }

    private int retention(boolean now) throws IOException {
        double ratio = disk.usedRatio();
        boolean spaceToDelete = ratio * 100 > config.diskMaxUsedSpaceRatio;
        boolean atDeleteHour = isDeleteHour(clock.getAsLong());
        if (!now && !spaceToDelete && !atDeleteHour) {
            return 0;
        }
        long reservedMs = config.fileReservedTimeHours * 3_600_000L;
        long nowMs = clock.getAsLong();
        int deleted = 0;
        long safeEnd = Math.min(dispatcher.dispatchedOffset(), commitLog.flushedOffset());
        while (commitLog.deleteHead(safeEnd, s -> nowMs - s.lastModifiedMs() >= reservedMs
                || (config.cleanFileForciblyEnable && disk.usedRatio() * 100 > config.diskSpaceCleanForciblyRatio))
                != null) {
            deleted++;
        }
        if (deleted > 0) {
            long min = commitLog.minOffset();
            for (ConsumeQueue cq : queues.all()) {
                cq.deleteFilesBelow(min);
            }
            if (index != null) {
                index.deleteBelow(min);
            }
            log.info("retention: {} commit log segments deleted, commit log starts at {}", deleted, min);
        }
        return deleted;
    }

    private boolean isDeleteHour(long nowMs) {
        int hour = Instant.ofEpochMilli(nowMs).atZone(ZoneId.systemDefault()).getHour();
        for (String h : config.deleteWhen.split(";")) {
            try {
                if (!h.isBlank() && Integer.parseInt(h.trim()) == hour) {
                    return true;
                }
            } catch (NumberFormatException ignored) {
                // a malformed entry just never matches, as in the reference
            }
        }
        return false;
    }
}

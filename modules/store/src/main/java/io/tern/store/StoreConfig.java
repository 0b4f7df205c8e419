package io.tern.store;

/**
 * Store settings with RocketMQ's defaults. Public fields so the broker can bind them from its config
 * (key = field name under {@code store} in the broker YAML); documented with the on-disk layout in
 * src-docs/store.md.
 */
public final class StoreConfig {
    public enum FlushMode { ASYNC_FLUSH, SYNC_FLUSH }

    /** Root directory: commitlog/, consumequeue/, index/, checkpoint, abort. */
    public String storeRoot = System.getProperty("user.home") + "/store";
    /** Commit-log segment size in bytes (1 GiB). */
    public long commitLogSegmentBytes = 1024L * 1024 * 1024;
    /** Consume-queue entries per file (20 bytes each). */
    public int consumeQueueEntriesPerFile = 300_000;
    public FlushMode flushMode = FlushMode.ASYNC_FLUSH;
    /** ASYNC_FLUSH: flush period. */
    public long flushIntervalCommitLogMs = 500;
    /** ASYNC_FLUSH: flush only when at least this many 4 KiB pages are dirty... */
    public int flushCommitLogLeastPages = 4;
    /** ...unless this long passed since the last full flush. */
    public long flushCommitLogThoroughIntervalMs = 10_000;
    /** SYNC_FLUSH: answer FLUSH_DISK_TIMEOUT when the group fsync takes longer than this. */
    public long syncFlushTimeoutMs = 5_000;
    public long flushIntervalConsumeQueueMs = 1_000;
    /** Largest accepted body in bytes (4 MiB). */
    public int maxMessageBytes = 4 * 1024 * 1024;
    /** Segments older than this are deleted by retention. */
    public int fileReservedTimeHours = 72;
    /** Hour of day ("04") when expired segments are deleted; several separated by ';'. */
    public String deleteWhen = "04";
    /** Disk usage ratio (percent) above which expired segments are deleted at once. */
    public int diskMaxUsedSpaceRatio = 75;
    /** Disk usage ratio (percent) above which sends are refused. */
    public int diskHardLimitRatio = 90;
    /** Test hook: treat the store as holding at most this many bytes (0 = use the real filesystem). */
    public long diskCapacityBytesOverride = 0;
    public boolean messageIndexEnable = true;
    public int maxHashSlotNum = 5_000_000;
    public int maxIndexNum = 5_000_000 * 4;
    /** Largest number of messages a key query returns. */
    public int defaultQueryMaxNum = 32;
    public boolean checkCrcOnRecover = true;
    /** Pre-allocate and pre-touch the next commit-log segment off the hot path. */
    public boolean warmMappedFile = true;
    /**
     * Also write new commit-log segments full of zeros through the file channel before mapping them, so every
     * block is allocated even without pre-touching; costs writing each segment to disk twice. With
     * warmMappedFile the pre-touch already makes the file system reserve the blocks (a full disk then fails the
     * allocation, off the hot path), so this is off by default.
     */
    public boolean commitLogReserveBlocks = false;
    /** Above this disk usage (percent) segments are deleted even before they expire (RocketMQ's 85). */
    public int diskSpaceCleanForciblyRatio = 85;
    /** Whether retention may delete unexpired segments above diskSpaceCleanForciblyRatio. */
    public boolean cleanFileForciblyEnable = true;
    /** Period of the disk check: hard limit, retention, retry of a failed segment allocation. */
    public long diskCheckIntervalMs = 1_000;
    /** After a failed fsync, how long the flusher waits before trying again. */
    public long faultRetryIntervalMs = 1_000;
    /**
     * Delay levels (RocketMQ's messageDelayLevel), used only when recovery rebuilds SCHEDULE_TOPIC_XXXX queue
     * entries, whose tag code is the delivery time = store time + the level's delay.
     */
    public String messageDelayLevel = "1s 5s 10s 30s 1m 2m 3m 4m 5m 6m 7m 8m 9m 10m 20m 30m 1h 2h";
    /** Capacity of the hand-off queue to the store writer, in put requests; a full queue answers puts busy. */
    public int writeQueueCapacity = 65_536;

    // timer messages (src-docs/timers.md)
    /** Serve the 5.x timer properties (TIMER_DELIVER_MS / TIMER_DELAY_SEC / TIMER_DELAY_MS); off = refused. */
    public boolean timerWheelEnable = true;
    /** Length of one wheel tick: a timer is delivered at the first tick at or after its time (never before). */
    public int timerPrecisionMs = 100;
    /** Longest delay accepted; a timer further ahead is refused (MESSAGE_ILLEGAL). 40 days. */
    public long timerMaxDelaySec = 40L * 24 * 3600;
    /** Ticks ahead a timer is linked into the wheel directly; later ones are rolled (re-written) from there. */
    public int timerRollWindowSlots = 3600 * 24 * 2;
    /** Size of one timer-log segment in bytes (rounded down to whole 48-byte entries). */
    public int timerLogFileSize = 100 * 1024 * 1024;
    /** How often the timer log and wheel are flushed and the timer checkpoint written. */
    public long timerFlushIntervalMs = 1_000;

    public StoreConfig() {
    }

    public StoreConfig(String storeRoot) {
        this.storeRoot = storeRoot;
    }
}

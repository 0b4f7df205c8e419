package io.tern.store.timer;

import io.tern.store.impl.MappedSegment;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The persisted state of timer messages: the {@link TimerLog}, the {@link TimerWheel} and their
 * {@link TimerCheckpoint}, under the store's root (src-docs/timers.md). Knows how timers are linked into the wheel
 * and read back by tick; what a timer message is and where it goes is the scheduled-delivery component's business.
 * Nothing here grows with the number of pending timers: they live in the mapped files.
 *
 * <p>Ticks: tick {@code t} covers {@code ((t-1)·precision, t·precision]} and is due at {@code t·precision}, so a
 * timer is never delivered before its time. Timers are linked into {@code [firstOpenTick, dequeueTick + window)},
 * window = half the wheel; one due later is linked to the window's last tick and rolled from there.
 *
 * <p>Recovery (kill -9 keeps the mapped pages; a power loss keeps what the last checkpoint names): entries written
 * after the checkpoint are kept while they continue the timer topic's offsets, and linked again where the wheel
 * missed them; delivery restarts at the checkpoint's dequeue tick.
 *
 * <p>Not thread-safe: owned by the timer delivery worker; every method may block on file I/O.
 */
public final class TimerStore {
    private final Path checkpointFile;
    private final int precisionMs;
    private final TimerLog log;
    private final TimerWheel wheel;
    private final long windowTicks;
    private long enqueueOffset;
    private long dequeueTick;
    /** Largest tick linked from each full timer-log segment, by start position (one value per 100 MiB file). */
    private final Map<Long, Long> segmentMaxTick = new HashMap<>();

    private TimerStore(Path checkpointFile, int precisionMs, TimerLog log, TimerWheel wheel, long enqueueOffset,
                       long dequeueTick) {
        this.checkpointFile = checkpointFile;
        this.precisionMs = precisionMs;
        this.log = log;
        this.wheel = wheel;
        this.windowTicks = wheel.slotCount() / 2;
        this.enqueueOffset = enqueueOffset;
        this.dequeueTick = dequeueTick;
    }

    /**
     * Blocking: opens (or creates) the files under {@code storeRoot} and recovers; {@code recovered} sees every
     * entry written after the checkpoint (for the caller's counts).
     *
     * @param windowSlots ticks ahead a timer is linked directly (the wheel has twice as many slots)
     */
    public static TimerStore open(Path storeRoot, int precisionMs, int windowSlots, int logFileBytes, long nowMs,
                                  Consumer<TimerLog.Entry> recovered) throws IOException {
        if (precisionMs < 1 || windowSlots < 2) {
            throw new IllegalArgumentException("timerPrecisionMs must be >= 1 and timerRollWindowSlots >= 2");
        }
        int slots = Math.multiplyExact(windowSlots, 2);
        Path checkpointFile = storeRoot.resolve("config").resolve("timercheck");
        TimerCheckpoint cp = TimerCheckpoint.read(checkpointFile);
        if (cp == null) {
            cp = new TimerCheckpoint(precisionMs, slots, 0, 0, Math.floorDiv(nowMs, precisionMs));
        } else if (cp.precisionMs() != precisionMs || cp.slots() != slots) {
            throw new IOException("the timer store under " + storeRoot + " was built with timerPrecisionMs="
                    + cp.precisionMs() + " and timerRollWindowSlots=" + cp.slots() / 2 + ", not " + precisionMs
                    + " and " + windowSlots + ": set them back (or delete timerwheel, timerlog/ and config/timercheck,"
                    + " losing the pending timers)");
        }
        TimerLog log = TimerLog.open(storeRoot.resolve("timerlog"), logFileBytes, cp.logPosition());
        TimerWheel wheel;
        try {
            wheel = TimerWheel.open(storeRoot.resolve("timerwheel"), slots, cp.dequeueTick());
        } catch (IOException | RuntimeException e) {
            log.close();
            throw e;
        }
        TimerStore store = new TimerStore(checkpointFile, precisionMs, log, wheel, cp.enqueueOffset(),
                cp.dequeueTick());
        store.recoverAfter(log.writePosition(), recovered);
        return store;
    }

    private void recoverAfter(long position, Consumer<TimerLog.Entry> recovered) {
        long pos = position;
        TimerLog.Entry e;
        while ((e = log.read(pos)) != null && e.queueOffset() == enqueueOffset) {
            long last = wheel.lastPosition(e.tick());
            if (last < pos) {
                log.setPrevPosition(pos, last);
                wheel.link(e.tick(), pos);
            }
            recovered.accept(e);
            enqueueOffset++;
            pos += TimerLog.ENTRY_BYTES;
        }
        log.continueAt(pos);
    }

    public int precisionMs() {
        return precisionMs;
    }

    /** Next offset of the timer topic's queue to enqueue. */
    public long enqueueOffset() {
        return enqueueOffset;
    }

    /** First tick not completely delivered. */
    public long dequeueTick() {
        return dequeueTick;
    }

    /** The tick a timer due at {@code dueMs} belongs to: the first tick due at or after it. */
    public long tickOf(long dueMs) {
        return Math.floorDiv(dueMs + precisionMs - 1, precisionMs);
    }

    public long dueMsOf(long tick) {
        return tick * precisionMs;
    }

    /**
     * Links a timer made from entry {@code queueOffset} of the timer topic into the wheel at its due tick, moved
     * to {@code firstOpenTick} if that is later, or to the window's last tick if its tick is beyond the window.
     * Returns the tick it was linked to.
     */
    public long link(int recordSize, long commitLogOffset, long dueMs, long queueOffset, long firstOpenTick)
            throws IOException {
        long tick = Math.min(Math.max(tickOf(dueMs), firstOpenTick), dequeueTick + windowTicks - 1);
        long pos = log.append(recordSize, wheel.lastPosition(tick), commitLogOffset, dueMs, tick, queueOffset);
        wheel.link(tick, pos);
        enqueueOffset = queueOffset + 1;
        return tick;
    }

    /** Entries of the timer topic before {@code queueOffset} need no timer (unreadable or not timers). */
    public void skipTo(long queueOffset) {
        enqueueOffset = Math.max(enqueueOffset, queueOffset);
    }

    /** The first tick at or after the dequeue tick that holds timers, or -1. */
    public long nextOccupiedTick() {
        return wheel.nextOccupiedTick(dequeueTick);
    }

    /** Ticks before {@code tick} hold nothing more to deliver. */
    public void advanceDequeueTo(long tick) {
        dequeueTick = Math.max(dequeueTick, tick);
    }

    /** Entries linked to {@code tick}. */
    public int count(long tick) {
        return wheel.count(tick);
    }

    /** The newest entry of {@code tick}, or null. */
    public TimerLog.Entry newest(long tick) {
        return checked(log.read(wheel.lastPosition(tick)), tick);
    }

    /** The entry linked to the same tick before {@code entry}, or null at the chain's end. */
    public TimerLog.Entry previous(TimerLog.Entry entry) {
        return entry.prevPosition() < 0 ? null : checked(log.read(entry.prevPosition()), entry.tick());
    }

    /** Every timer of {@code tick} was delivered (or rolled); delivery moves on to the next tick. */
    public void delivered(long tick) {
        wheel.delivered(tick);
        dequeueTick = Math.max(dequeueTick, tick + 1);
    }

    /** Blocking: flushes the log and the wheel, then writes the checkpoint naming them. */
    public void checkpoint() throws IOException {
        TimerCheckpoint cp = new TimerCheckpoint(precisionMs, wheel.slotCount(), log.writePosition(), enqueueOffset,
                dequeueTick);
        log.flush();
        wheel.flush();
        cp.write(checkpointFile);
    }

    /**
     * Blocking: deletes timer-log segments whose every entry is linked to a tick already delivered. Returns the
     * number deleted.
     */
    public int deleteDeliveredSegments() throws IOException {
        return log.deleteSegments(s -> {
            long maxTick = segmentMaxTick.computeIfAbsent(s.startOffset(), start -> maxTick(s));
            boolean done = maxTick < dequeueTick;
            if (done) {
                segmentMaxTick.remove(s.startOffset());
            }
            return done;
        });
    }

    private long maxTick(MappedSegment s) {
        long max = Long.MIN_VALUE;
        for (long pos = s.startOffset(); pos + TimerLog.ENTRY_BYTES <= s.endOffset(); pos += TimerLog.ENTRY_BYTES) {
            TimerLog.Entry e = log.read(pos);
            if (e != null) {
                max = Math.max(max, e.tick());
            }
        }
        return max;
    }

    public long logBytes() {
        return log.writePosition() - log.firstPosition();
    }

    public int logSegments() {
        return log.segmentCount();
    }

    public void close() {
        log.close();
        wheel.close();
    }

    private static TimerLog.Entry checked(TimerLog.Entry e, long tick) {
        return e != null && e.tick() == tick ? e : null;
    }
}

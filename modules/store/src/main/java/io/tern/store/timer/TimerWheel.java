package io.tern.store.timer;

import io.tern.store.impl.MappedSegment;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.BitSet;

/**
 * The time wheel on disk ({@code storeRoot/timerwheel}): one slot per precision tick, {@code slots} of them, tick
 * {@code t} in slot {@code t mod slots}. A slot names the tick it holds and points at the newest
 * {@link TimerLog} entry of that tick; the entries chain backwards from there. A slot naming another tick is
 * empty for this one: it is reused without being cleared.
 *
 * <pre>
 *  0                              8                              16              20              24
 *  +------------------------------+------------------------------+---------------+---------------+
 *  | tick held                    | newest timer-log position    | entries       | reserved      |
 *  +------------------------------+------------------------------+---------------+---------------+
 * </pre>
 * The wheel is twice as long as the window timers are linked in ({@code [dequeue tick, dequeue tick + slots/2)}),
 * so a slot is only reused for a tick once its previous tick was delivered.
 *
 * <p>A bit set of the occupied slots (one bit a slot, not per timer) finds the next tick to deliver without
 * reading the file; it is rebuilt from the file when the wheel opens.
 *
 * <p>Not thread-safe: owned by the timer delivery worker.
 */
public final class TimerWheel {
    public static final int SLOT_BYTES = 24;
    static final int TICK_OFFSET = 0;
    static final int LAST_POSITION_OFFSET = 8;
    static final int COUNT_OFFSET = 16;

    private final MappedSegment file;
    private final ByteBuffer slots;
    private final int slotCount;
    private final BitSet occupied;

    private TimerWheel(MappedSegment file, int slotCount) {
        this.file = file;
        this.slots = file.buffer();
        this.slotCount = slotCount;
        this.occupied = new BitSet(slotCount);
    }

    /**
     * Blocking: maps the wheel file and marks the slots holding ticks from {@code firstTick} on. A wheel file that
     * did not exist yet holds nothing and is not read: reading its 8 MB of holes through the mapping (the default
     * 345,600 slots) faulted in zeroed pages and cost every fresh broker's start tens of ms of CPU.
     */
    public static TimerWheel open(Path path, int slotCount, long firstTick) throws IOException {
        long bytes = (long) slotCount * SLOT_BYTES;
        if (slotCount < 2 || bytes > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("timer wheel of " + slotCount + " slots is out of range");
        }
        boolean created = !Files.exists(path) || Files.size(path) == 0;
        TimerWheel w = new TimerWheel(MappedSegment.open(path, 0, (int) bytes, false), slotCount);
        for (int i = 0; !created && i < slotCount; i++) {
            int at = i * SLOT_BYTES;
            long tick = w.slots.getLong(at + TICK_OFFSET);
            if (tick >= firstTick && w.slots.getInt(at + COUNT_OFFSET) > 0) {
                w.occupied.set(i);
            }
        }
        return w;
    }

    public int slotCount() {
        return slotCount;
    }

    /** The newest entry of {@code tick}'s chain, or -1 when the tick has none. */
    public long lastPosition(long tick) {
        int at = slot(tick) * SLOT_BYTES;
        if (slots.getLong(at + TICK_OFFSET) != tick || slots.getInt(at + COUNT_OFFSET) == 0) {
            return -1;
        }
        return slots.getLong(at + LAST_POSITION_OFFSET);
    }

    /** Entries linked to {@code tick}. */
    public int count(long tick) {
        int at = slot(tick) * SLOT_BYTES;
        return slots.getLong(at + TICK_OFFSET) != tick ? 0 : slots.getInt(at + COUNT_OFFSET);
    }

    /** Makes {@code position} the newest entry of {@code tick}; the caller wrote its prev as {@link #lastPosition}. */
    public void link(long tick, long position) {
        int i = slot(tick);
        int at = i * SLOT_BYTES;
        int count = count(tick);
        slots.putLong(at + LAST_POSITION_OFFSET, position);
        slots.putInt(at + COUNT_OFFSET, count + 1);
        slots.putLong(at + TICK_OFFSET, tick);
        occupied.set(i);
    }

    /** The tick's chain was delivered. */
    public void delivered(long tick) {
        occupied.clear(slot(tick));
    }

    /**
     * The first tick at or after {@code fromTick} (and before {@code fromTick + slots}) holding entries, or -1.
     * Ticks before the dequeue tick are never linked, so every occupied slot maps to one tick of that range.
     */
    public long nextOccupiedTick(long fromTick) {
        int from = slot(fromTick);
        int i = occupied.nextSetBit(from);
        if (i < 0) {
            i = occupied.nextSetBit(0);
            if (i < 0 || i >= from) {
                return -1;
            }
        }
        return fromTick + Math.floorMod(i - from, slotCount);
    }

    /** Blocking: msync of the whole wheel (dirty pages only reach the disk). */
    public void flush() throws IOException {
        file.force(0, file.sizeBytes());
    }

    public void close() {
        file.close();
    }

    private int slot(long tick) {
        return (int) Math.floorMod(tick, (long) slotCount);
    }
}

package io.tern.broker.schedule;

import io.tern.broker.config.ConfigFile;
import io.tern.broker.send.DelayLevels;
import io.tern.common.Json;
import java.io.IOException;
import java.util.Map;
import java.util.TreeMap;

/**
 * The persisted progress of scheduled delivery (spec 6.7): per delay level, the next queue offset of
 * SCHEDULE_TOPIC_XXXX queue {@code level-1} to deliver. Kept as {@code config/delayOffset.json}
 * ({@code {"offsetTable":{"3":12}}}); delivering is the {@link ScheduledDeliveryVerticle}'s job.
 *
 * <p>Thread-safe: the delivery verticle advances offsets on its event loop, the persister and admin requests read
 * snapshots from other threads.
 */
public final class DelayLevelOffsets {
    private final long[] offsets = new long[DelayLevels.maxLevel() + 1];

    /** The persisted form. */
    public static final class DelayOffsetTable {
        public Map<Integer, Long> offsetTable = new TreeMap<>();
    }

    /** Blocking: reads config/delayOffset.json at startup. */
    public void load(ConfigFile file) throws IOException {
        byte[] bytes = file.read();
        if (bytes == null) {
            return;
        }
        DelayOffsetTable t = Json.fromBytes(bytes, DelayOffsetTable.class);
        if (t.offsetTable != null) {
            t.offsetTable.forEach((level, offset) -> {
                if (level != null && level >= 1 && level < offsets.length && offset != null) {
                    offsets[level] = offset;
                }
            });
        }
    }

    /** Snapshot for persistence and GET_ALL_DELAY_OFFSET. */
    public synchronized byte[] encode() {
        DelayOffsetTable t = new DelayOffsetTable();
        for (int level = 1; level < offsets.length; level++) {
            t.offsetTable.put(level, offsets[level]);
        }
        return Json.toBytes(t);
    }

    /** A slave takes its master's level offsets (a GET_ALL_DELAY_OFFSET body). */
    public synchronized void replaceWith(Map<Integer, Long> master) {
        master.forEach((level, offset) -> {
            if (level != null && level >= 1 && level < offsets.length && offset != null) {
                offsets[level] = offset;
            }
        });
    }

    synchronized long offset(int level) {
        return offsets[level];
    }

    /** Never moves an offset back. */
    synchronized void advance(int level, long offset) {
        offsets[level] = Math.max(offsets[level], offset);
    }
}

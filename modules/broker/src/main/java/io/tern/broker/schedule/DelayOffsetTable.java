package io.tern.broker.schedule;

import io.tern.broker.config.ConfigFile;
import io.tern.common.Json;
import java.io.IOException;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Progress of scheduled delivery: delay level → next logical offset to deliver in SCHEDULE_TOPIC_XXXX queue
 * level−1. Persisted as {@code config/delayOffset.json}, RocketMQ's format {@code {"offsetTable":{"1":5}}}; also the
 * body of GET_ALL_DELAY_OFFSET (45).
 *
 * <p>Thread-safe: each level is written only by its own delivery timer; snapshots are taken on workers.
 */
public final class DelayOffsetTable {
    private final Map<Integer, Long> offsets = new ConcurrentHashMap<>();

    /** The persisted form. */
    public static final class OffsetTable {
        public Map<Integer, Long> offsetTable = new TreeMap<>();
    }

    /** Blocking; at startup. */
    public void load(ConfigFile file) throws IOException {
        byte[] bytes = file.read();
        if (bytes != null) {
            OffsetTable t = Json.fromBytes(bytes, OffsetTable.class);
            if (t.offsetTable != null) {
                t.offsetTable.forEach((level, offset) -> {
                    if (level != null && offset != null) {
                        offsets.put(level, offset);
                    }
                });
            }
        }
    }

    /** Next offset to deliver for a level; 0 when the level never delivered anything. */
    public long get(int level) {
        return offsets.getOrDefault(level, 0L);
    }

    public void put(int level, long offset) {
        offsets.put(level, offset);
    }

    public byte[] encode() {
        OffsetTable t = new OffsetTable();
        t.offsetTable.putAll(offsets);
        return Json.toBytes(t);
    }
}

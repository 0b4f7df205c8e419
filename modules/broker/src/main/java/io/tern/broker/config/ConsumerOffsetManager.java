package io.tern.broker.config;

import io.tern.common.Json;
import java.io.IOException;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Committed consumer offsets: {@code "topic@group"} → queueId → next offset to consume. Kept in memory, written
 * to {@code config/consumerOffset.json} every {@code persistConsumerOffsetIntervalMs} and at shutdown (the
 * caller schedules that). File format as RocketMQ's: {@code {"offsetTable":{"t@g":{"0":5}}}}.
 *
 * <p>Thread-safe; commits are lock-free.
 */
public final class ConsumerOffsetManager {
    public static final String SEPARATOR = "@";

    private final Map<String, Map<Integer, Long>> offsets = new ConcurrentHashMap<>();

    /** The persisted form. */
    public static final class OffsetTable {
        public Map<String, Map<Integer, Long>> offsetTable = new TreeMap<>();
    }

    public static String key(String topic, String group) {
        return topic + SEPARATOR + group;
    }

    public void load(ConfigFile file) throws IOException {
        byte[] bytes = file.read();
        if (bytes != null) {
            OffsetTable t = Json.fromBytes(bytes, OffsetTable.class);
            if (t.offsetTable != null) {
                t.offsetTable.forEach((k, v) -> {
                    if (v != null) {
                        offsets.put(k, new ConcurrentHashMap<>(v));
                    }
                });
            }
        }
    }

    /**
     * A slave takes its master's offsets, key by key (RocketMQ's slave sync); offsets only the slave has stay, so
     * commits made to the slave while the master was away survive until the master knows newer ones.
     */
    public void putAll(Map<String, Map<Integer, Long>> master) {
        master.forEach((key, queues) -> {
            if (queues != null) {
                offsets.computeIfAbsent(key, k -> new ConcurrentHashMap<>()).putAll(queues);
            }
        });
    }

    public void commit(String group, String topic, int queueId, long offset) {
        offsets.computeIfAbsent(key(topic, group), k -> new ConcurrentHashMap<>()).put(queueId, offset);
    }

    /** The committed offset or -1. */
    public long query(String group, String topic, int queueId) {
        Map<Integer, Long> m = offsets.get(key(topic, group));
        if (m == null) {
            return -1;
        }
        Long v = m.get(queueId);
        return v == null ? -1 : v;
    }

    /** queueId → offset of one group on one topic (empty when none). */
    public Map<Integer, Long> queryAll(String group, String topic) {
        Map<Integer, Long> m = offsets.get(key(topic, group));
        return m == null ? Map.of() : m;
    }

    /** Topics the group has committed offsets for. */
    public java.util.Set<String> topicsOf(String group) {
        java.util.Set<String> topics = new java.util.TreeSet<>();
        for (String k : offsets.keySet()) {
            int at = k.indexOf(SEPARATOR);
            if (at > 0 && k.substring(at + 1).equals(group)) {
                topics.add(k.substring(0, at));
            }
        }
        return topics;
    }

    /** Groups that have committed offsets for the topic. */
    public java.util.Set<String> groupsOf(String topic) {
        java.util.Set<String> groups = new java.util.TreeSet<>();
        for (String k : offsets.keySet()) {
            int at = k.indexOf(SEPARATOR);
            if (at > 0 && k.substring(0, at).equals(topic)) {
                groups.add(k.substring(at + 1));
            }
        }
        return groups;
    }

    public Map<String, Map<Integer, Long>> all() {
        return offsets;
    }

    public byte[] encode() {
        OffsetTable t = new OffsetTable();
        offsets.forEach((k, v) -> t.offsetTable.put(k, new TreeMap<>(v)));
        return Json.toBytes(t);
    }
}

package io.tern.store.impl;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.stream.Stream;

/**
 * All consume queues, under {@code consumequeue/<topic>/<queueId>/}.
 *
 * <p>Thread-safe map; each queue keeps its own contract ({@link ConsumeQueue}). Queues are created by the
 * dispatcher and looked up by readers.
 */
public final class ConsumeQueueTable {
    private static final Logger log = LoggerFactory.getLogger(ConsumeQueueTable.class);

    private final Path root;
    private final int entriesPerFile;
    private final ConcurrentMap<String, ConcurrentMap<Integer, ConsumeQueue>> queues = new ConcurrentHashMap<>();

    ConsumeQueueTable(Path root, int entriesPerFile) {
        this.root = root;
        this.entriesPerFile = entriesPerFile;
    }

    void load() throws IOException {
        Files.createDirectories(root);
        List<Path> topics;
        try (Stream<Path> s = Files.list(root)) {
            topics = s.filter(Files::isDirectory).toList();
        }
        for (Path topicDir : topics) {
            List<Path> qdirs;
            try (Stream<Path> s = Files.list(topicDir)) {
                qdirs = s.filter(p -> Files.isDirectory(p) && p.getFileName().toString().matches("\\d+")).toList();
            }
            for (Path qdir : qdirs) {
                String topic = topicDir.getFileName().toString();
                int qid = Integer.parseInt(qdir.getFileName().toString());
                ConsumeQueue cq = new ConsumeQueue(topic, qid, qdir, entriesPerFile);
                cq.load();
                queues.computeIfAbsent(topic, t -> new ConcurrentHashMap<>()).put(qid, cq);
            }
        }
        log.info("loaded {} consume queues", all().size());
    }

    public ConsumeQueue find(String topic, int queueId) {
        Map<Integer, ConsumeQueue> m = queues.get(topic);
        return m == null ? null : m.get(queueId);
    }

    ConsumeQueue findOrCreate(String topic, int queueId) {
        return queues.computeIfAbsent(topic, t -> new ConcurrentHashMap<>()).computeIfAbsent(queueId,
                q -> new ConsumeQueue(topic, q, root.resolve(topic).resolve(Integer.toString(q)), entriesPerFile));
    }

    List<ConsumeQueue> all() {
        List<ConsumeQueue> out = new ArrayList<>();
        for (Map<Integer, ConsumeQueue> m : queues.values()) {
            out.addAll(m.values());
        }
        return out;
    }

    /** Next queue offset of every queue: the writer's starting point after recovery. */
    Map<String, Long> maxOffsets() {
        Map<String, Long> out = new HashMap<>();
        for (ConsumeQueue cq : all()) {
            out.put(key(cq.topic(), cq.queueId()), cq.maxOffset());
        }
        return out;
    }

    static String key(String topic, int queueId) {
        return topic + '-' + queueId;
    }

    /** Removes the topic's queues from readers' view at once; files go in {@link #destroyTopic}. */
    void hideTopic(String topic) {
        queues.remove(topic);
    }

    /** Dispatcher: deletes the topic's queue files (including any re-created by records written before). */
    void destroyTopic(String topic, Map<Integer, ConsumeQueue> hidden) throws IOException {
        Map<Integer, ConsumeQueue> current = queues.remove(topic);
        for (Map<Integer, ConsumeQueue> m : new Map[]{hidden, current}) {
            if (m != null) {
                for (ConsumeQueue cq : m.values()) {
                    cq.destroy();
                }
            }
        }
        Path dir = root.resolve(topic);
        if (Files.isDirectory(dir)) {
            try (Stream<Path> s = Files.walk(dir)) {
                for (Path p : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }

    Map<Integer, ConsumeQueue> snapshotTopic(String topic) {
        Map<Integer, ConsumeQueue> m = queues.get(topic);
        return m == null ? null : new HashMap<>(m);
    }

    void flushAll() throws IOException {
        for (ConsumeQueue cq : all()) {
            cq.flush();
        }
    }

    void close() {
        for (ConsumeQueue cq : all()) {
            cq.close();
        }
    }
}

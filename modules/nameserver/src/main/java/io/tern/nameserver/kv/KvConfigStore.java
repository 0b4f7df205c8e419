package io.tern.nameserver.kv;

import io.tern.common.Json;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The nameserver's KV config: namespace → key → value, persisted as RocketMQ's kvConfig.json
 * ({@code {"configTable":{namespace:{key:value}}}}) after every change.
 *
 * <p>Thread-safe: reads and in-memory updates happen on any event loop under a read-write lock; file I/O runs
 * on a one-thread worker pool, so writes never overlap, and each write takes a fresh snapshot (the last
 * write always holds the newest state). Writes go to a temp file that is then moved over the real one.
 */
public final class KvConfigStore {
    private static final Logger LOG = LoggerFactory.getLogger(KvConfigStore.class);

    /** The file layout of the reference's KVConfigSerializeWrapper. */
    public static final class KvConfigFile {
        public Map<String, Map<String, String>> configTable = new TreeMap<>();
    }

    private final Map<String, Map<String, String>> table = new HashMap<>();
    private final ReadWriteLock lock = new ReentrantReadWriteLock();
    private final Lock read = lock.readLock();
    private final Lock write = lock.writeLock();
    private final Path path;
    private final WorkerExecutor fileIo;

    public KvConfigStore(Vertx vertx, Path path) {
        this.path = path;
        // One name for every store of a Vertx: the pool name is a label of Vert.x's pool meters, so a per-instance
        // name started a new series at every start. Stores of one Vertx (tests run several nameservers) then share
        // the thread, which keeps each store's writes in order; Vert.x closes the pool with its last user.
        this.fileIo = vertx.createSharedWorkerExecutor("tern-namesrv-kv", 1);
    }

    /** Reads the file if it exists. A file that cannot be parsed fails the start rather than being overwritten. */
    public Future<Void> load() {
        return fileIo.executeBlocking(() -> {
            // builds the file serializer now, so the first PUT_KV_CONFIG answers well inside a client's timeout
            Json.toBytes(new KvConfigFile());
            if (!Files.exists(path)) {
                return null;
            }
            KvConfigFile file;
            try {
                file = Json.fromBytes(Files.readAllBytes(path), KvConfigFile.class);
            } catch (IllegalArgumentException e) {
                throw new IllegalStateException("cannot read KV config " + path + ": " + e.getMessage(), e);
            }
            write.lock();
            try {
                if (file.configTable != null) {
                    file.configTable.forEach((ns, kv) -> {
                        if (kv != null) {
                            table.put(ns, new HashMap<>(kv));
                        }
                    });
                }
            } finally {
                write.unlock();
            }
            LOG.info("loaded KV config {} ({} namespaces)", path, table.size());
            return null;
        });
    }

    /** Sets the value in memory at once; the future completes once the file holds it. */
    public Future<Void> put(String namespace, String key, String value) {
        write.lock();
        try {
            table.computeIfAbsent(namespace, k -> new HashMap<>()).put(key, value);
        } finally {
            write.unlock();
        }
        return persist();
    }

    public Future<Void> delete(String namespace, String key) {
        boolean changed;
        write.lock();
        try {
            Map<String, String> kv = table.get(namespace);
            changed = kv != null && kv.remove(key) != null;
        } finally {
            write.unlock();
        }
        return changed ? persist() : Future.succeededFuture();
    }

    public String get(String namespace, String key) {
        read.lock();
        try {
            Map<String, String> kv = table.get(namespace);
            return kv == null ? null : kv.get(key);
        } finally {
            read.unlock();
        }
    }

    /** A copy of the namespace's entries, or null when it has none. */
    public Map<String, String> namespace(String namespace) {
        read.lock();
        try {
            Map<String, String> kv = table.get(namespace);
            return kv == null || kv.isEmpty() ? null : new TreeMap<>(kv);
        } finally {
            read.unlock();
        }
    }

    public Future<Void> close() {
        return fileIo.close();
    }

    private Future<Void> persist() {
        return fileIo.executeBlocking(() -> {
            KvConfigFile file = new KvConfigFile();
            read.lock();
            try {
                table.forEach((ns, kv) -> file.configTable.put(ns, new TreeMap<>(kv)));
            } finally {
                read.unlock();
            }
            write(file);
            return null;
        });
    }

    private void write(KvConfigFile file) throws IOException {
        Path dir = path.toAbsolutePath().getParent();
        if (dir != null) {
            Files.createDirectories(dir);
        }
        Path tmp = path.resolveSibling(path.getFileName() + ".tmp");
        Files.write(tmp, Json.toBytes(file));
        Files.move(tmp, path, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}

package io.tern.broker.config;

import io.vertx.core.Vertx;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes one config file on a worker thread whenever asked, coalescing requests: while a write runs, further
 * requests only mark the content dirty and one more write follows. Content equal to the last write is not written
 * again. The snapshot is taken on the worker, so the supplier must be thread-safe.
 *
 * <p>Thread-safe.
 */
public final class ConfigPersister {
    private static final Logger LOG = LoggerFactory.getLogger(ConfigPersister.class);

    private final Vertx vertx;
    private final ConfigFile file;
    private final Supplier<byte[]> snapshot;
    private final AtomicBoolean running = new AtomicBoolean();
    private final AtomicBoolean dirty = new AtomicBoolean();
    /** What the last background write put on disk; touched by one worker task at a time. */
    private volatile byte[] lastWritten;

    public ConfigPersister(Vertx vertx, ConfigFile file, Supplier<byte[]> snapshot) {
        this.vertx = vertx;
        this.file = file;
        this.snapshot = snapshot;
    }

    /** Schedules a write; returns at once. */
    public void requestPersist() {
        dirty.set(true);
        if (running.compareAndSet(false, true)) {
            runOnce();
        }
    }

    private void runOnce() {
        dirty.set(false);
        vertx.executeBlocking(() -> {
            byte[] content = snapshot.get();
            // periodic requests on an idle broker find nothing new: no write, no fsync
            if (!Arrays.equals(content, lastWritten)) {
                file.write(content);
                lastWritten = content;
            }
            return null;
        }, false).onComplete(ar -> {
            if (ar.failed()) {
                LOG.error("persisting {} failed", file.path(), ar.cause());
            }
            running.set(false);
            if (dirty.get() && running.compareAndSet(false, true)) {
                runOnce();
            }
        });
    }

    /** Blocking write in the calling thread (must not be an event loop). */
    public void persistBlocking() throws java.io.IOException {
        byte[] content = snapshot.get();
        file.write(content);
        lastWritten = content;
    }
}

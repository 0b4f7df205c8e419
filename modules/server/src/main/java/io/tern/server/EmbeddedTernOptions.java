package io.tern.server;

import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Settings of an {@link EmbeddedTern}, with defaults suited to tests. Anything not covered by a named setter can be
 * set with {@link #broker(String, Object)} / {@link #store(String, Object)} / {@link #nameServer(String, Object)},
 * using the config keys of src-docs/configuration.md.
 *
 * <p>Not thread-safe: configure on one thread, then pass to {@link EmbeddedTern#start(EmbeddedTernOptions)}.
 */
public final class EmbeddedTernOptions {
    /** Small segments keep temp dirs small; 64 MiB still holds a 4 MiB message many times. */
    public static final long DEFAULT_SEGMENT_BYTES = 64L * 1024 * 1024;

    private final Path storeRoot;
    private final JsonObject nameServer = new JsonObject();
    private final JsonObject broker = new JsonObject()
            .put("httpPort", -1)
            .put("autoCreateTopicEnable", true);
    private final JsonObject store = new JsonObject()
            .put("flushMode", "ASYNC_FLUSH")
            .put("commitLogSegmentBytes", DEFAULT_SEGMENT_BYTES)
            .put("warmMappedFile", false);
    private long timeoutMs = 60_000;

    public EmbeddedTernOptions(Path storeRoot) {
        this.storeRoot = Objects.requireNonNull(storeRoot, "storeRoot");
    }

    /** "ASYNC_FLUSH" (default) or "SYNC_FLUSH". */
    public EmbeddedTernOptions flushMode(String flushMode) {
        store.put("flushMode", flushMode);
        return this;
    }

    public EmbeddedTernOptions syncFlush() {
        return flushMode("SYNC_FLUSH");
    }

    public EmbeddedTernOptions autoCreateTopic(boolean enabled) {
        broker.put("autoCreateTopicEnable", enabled);
        return this;
    }

    public EmbeddedTernOptions commitLogSegmentBytes(long bytes) {
        store.put("commitLogSegmentBytes", bytes);
        return this;
    }

    /** -1 (default) disables HTTP, 0 picks a free port. */
    public EmbeddedTernOptions httpPort(int port) {
        broker.put("httpPort", port);
        return this;
    }

    public EmbeddedTernOptions brokerName(String brokerName) {
        broker.put("brokerName", brokerName);
        return this;
    }

    /** Any broker key, e.g. {@code broker("defaultTopicQueueNums", 4)}. */
    public EmbeddedTernOptions broker(String key, Object value) {
        broker.put(key, value);
        return this;
    }

    /** Any store key, e.g. {@code store("maxMessageBytes", 8 << 20)}. */
    public EmbeddedTernOptions store(String key, Object value) {
        store.put(key, value);
        return this;
    }

    /** Any nameserver key, e.g. {@code nameServer("brokerExpiryMs", 5000)}. */
    public EmbeddedTernOptions nameServer(String key, Object value) {
        nameServer.put(key, value);
        return this;
    }

    /** How long start, stop and restart may take before they throw (default 60 s). */
    public EmbeddedTernOptions timeoutMs(long timeoutMs) {
        this.timeoutMs = timeoutMs;
        return this;
    }

    public Path storeRoot() {
        return storeRoot;
    }

    long timeoutMs() {
        return timeoutMs;
    }

    /** The standalone config (same shape as conf/standalone.yaml) binding the given ports; 0 = ephemeral. */
    JsonObject toConfig(int nameServerPort, int brokerPort) {
        JsonObject brokerSection = broker.copy()
                .put("listenPort", brokerPort)
                .put("store", store.copy().put("storeRoot", storeRoot.toAbsolutePath().toString()));
        return new JsonObject()
                .put(ConfigOverrides.NAMESERVER, nameServer.copy().put("listenPort", nameServerPort))
                .put(ConfigOverrides.BROKER, brokerSection);
    }
}

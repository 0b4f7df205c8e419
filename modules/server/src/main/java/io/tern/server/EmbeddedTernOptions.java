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
    private int brokerCount = 1;
    private int slavesPerGroup = 0;

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

    /** How many broker groups (default 1): broker-a, broker-b, ... all registered with the one nameserver. */
    public EmbeddedTernOptions brokers(int count) {
        if (count < 1 || count > 26) {
            throw new IllegalArgumentException("1 to 26 brokers, not " + count);
        }
        this.brokerCount = count;
        return this;
    }

    /**
     * Slaves per broker group (default 0): each group is then a master (brokerId 0, role from
     * {@link #brokerRole}) and this many slaves (brokerId 1...) sharing its brokerName, replicating from it.
     */
    public EmbeddedTernOptions slaves(int perGroup) {
        if (perGroup < 0 || perGroup > 8) {
            throw new IllegalArgumentException("0 to 8 slaves per group, not " + perGroup);
        }
        this.slavesPerGroup = perGroup;
        return this;
    }

    /** The masters' role: "ASYNC_MASTER" (default) or "SYNC_MASTER". */
    public EmbeddedTernOptions brokerRole(String role) {
        broker.put("brokerRole", role);
        return this;
    }

    int groupCount() {
        return brokerCount;
    }

    /** Every broker: masters and slaves. */
    int brokerCount() {
        return brokerCount * (1 + slavesPerGroup);
    }

    /** The broker group of broker {@code index}: masters and their slaves are numbered group by group. */
    int groupOf(int index) {
        return index / (1 + slavesPerGroup);
    }

    long brokerId(int index) {
        return index % (1 + slavesPerGroup);
    }

    String brokerName(int index) {
        int group = groupOf(index);
        return group == 0 ? broker.getString("brokerName", "broker-a") : "broker-" + (char) ('a' + group);
    }

    /**
     * One lone broker stores right under storeRoot; several each get storeRoot/&lt;brokerName&gt;, and in groups
     * with slaves storeRoot/&lt;brokerName&gt;-&lt;brokerId&gt;.
     */
    Path brokerStoreRoot(int index) {
        Path root = storeRoot.toAbsolutePath();
        if (slavesPerGroup > 0) {
            return root.resolve(brokerName(index) + "-" + brokerId(index));
        }
        return brokerCount == 1 ? root : root.resolve(brokerName(index));
    }

    /** The nameserver section; its KV config file lives under the store root, never in ~/namesrv. */
    JsonObject nameServerConfig(int port) {
        return nameServer.copy()
                .put("listenPort", port)
                .put("kvConfigPath", nameServer.getString("kvConfigPath",
                        storeRoot.toAbsolutePath().resolve("namesrv").resolve("kvConfig.json").toString()));
    }

    /** The section of broker {@code index}, bound to {@code port} and registering with {@code namesrvAddr}. */
    JsonObject brokerConfig(int index, int port, int haPort, String namesrvAddr) {
        long brokerId = brokerId(index);
        JsonObject c = broker.copy();
        if (brokerId > 0) {
            c.put("brokerRole", "SLAVE");
        }
        return c.put("brokerName", brokerName(index))
                .put("brokerId", brokerId)
                .put("haListenPort", haPort)
                .put("listenPort", port)
                .put("namesrvAddr", namesrvAddr)
                .put("store", store.copy().put("storeRoot", brokerStoreRoot(index).toString()));
    }
}

package io.tern.nameserver;

import io.tern.remoting.security.ConnectionLimits;
import io.tern.remoting.security.TlsMode;
import io.tern.remoting.security.TlsSettings;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Nameserver settings with RocketMQ's defaults; every key is documented in src-docs/configuration.md
 * ("Nameserver"). Public fields so tests and the launcher can set them directly.
 *
 * <p>{@link #brokerExpiryMs} and {@link #orderMessageEnable} may change at runtime (UPDATE_NAMESRV_CONFIG) and are
 * read by event loops, hence volatile; the other keys are read once at start.
 */
public final class NameServerConfig {
    /** Keys UPDATE_NAMESRV_CONFIG refuses with NO_PERMISSION, as the reference does. */
    public static final Set<String> UPDATE_BLACK_LIST = Set.of("configBlackList", "configStorePath", "kvConfigPath",
            "rocketmqHome");
    /** Keys UPDATE_NAMESRV_CONFIG applies at runtime; any other key is accepted and ignored. */
    public static final Set<String> RUNTIME_UPDATABLE = Set.of("brokerExpiryMs", "orderMessageEnable");

    /** Remoting port; 0 = ephemeral. */
    public int listenPort = 9876;
    public String host = "0.0.0.0";
    /** A broker without a registration for this long is considered dead. */
    public volatile long brokerExpiryMs = 120_000;
    /** How often the expiry scan runs. */
    public long scanIntervalMs = 10_000;
    /** Fill {@code orderTopicConf} of routes from the KV namespace ORDER_TOPIC_CONFIG. */
    public volatile boolean orderMessageEnable = false;
    /** File of the KV config; {@code ${user.home}} is expanded. */
    public String kvConfigPath = "${user.home}/namesrv/kvConfig.json";
    /** Remoting server verticle instances; 0 or less = one per core. */
    public int serverInstances = Runtime.getRuntime().availableProcessors();
    /** Check every network request against the ACL file (src-docs/acl.md); off = no check, no cost. */
    public boolean aclEnable = false;
    /** The ACL file (RocketMQ's plain_acl.yml shape); relative paths from the working directory. */
    public String aclFile = "conf/acl.yaml";
    /** How often the ACL file is looked at for changes. */
    public long aclReloadIntervalMs = 5_000;

    // --- security: TLS and connection limits of the remoting port, as the broker's (src-docs/security.md) ---
    public String tlsMode = "disabled";
    public String tlsCertFile = "";
    public String tlsKeyFile = "";
    public String tlsTrustCertFile = "";
    public String tlsClientAuth = "none";
    public int maxConnections = ConnectionLimits.DEFAULT_MAX_CONNECTIONS;
    public int maxConnectionsPerAddress = 0;
    public int serverChannelMaxIdleTimeSeconds = ConnectionLimits.DEFAULT_IDLE_SECONDS;
    public long frameReadTimeoutMs = ConnectionLimits.DEFAULT_FRAME_READ_TIMEOUT_MS;
    public int maxInFlightRequestsPerConnection = ConnectionLimits.DEFAULT_MAX_IN_FLIGHT_REQUESTS;

    public TlsSettings tlsSettings() {
        return new TlsSettings(TlsMode.parse(tlsMode), tlsCertFile, tlsKeyFile, tlsTrustCertFile, tlsClientAuth);
    }

    public ConnectionLimits connectionLimits() {
        return new ConnectionLimits(maxConnections, maxConnectionsPerAddress, serverChannelMaxIdleTimeSeconds,
                frameReadTimeoutMs, maxInFlightRequestsPerConnection);
    }
    // --- end security ---

    /** Binds known keys; unknown keys are ignored, missing keys keep their defaults; values may be strings. */
    public static NameServerConfig fromJson(JsonObject json) {
        NameServerConfig c = new NameServerConfig();
        if (json == null) {
            return c;
        }
        json.forEach(e -> {
            if (e.getValue() != null) {
                c.set(e.getKey(), e.getValue().toString());
            }
        });
        return c;
    }

    /** The KV file path with {@code ${user.home}} expanded. */
    public String resolvedKvConfigPath() {
        return kvConfigPath.replace("${user.home}", System.getProperty("user.home"));
    }

    public int effectiveServerInstances() {
        return serverInstances > 0 ? serverInstances : Runtime.getRuntime().availableProcessors();
    }

    /** Every key and its current value, sorted (GET_NAMESRV_CONFIG body). */
    public Map<String, String> asMap() {
        Map<String, String> m = new TreeMap<>();
        m.put("listenPort", String.valueOf(listenPort));
        m.put("host", host);
        m.put("brokerExpiryMs", String.valueOf(brokerExpiryMs));
        m.put("scanIntervalMs", String.valueOf(scanIntervalMs));
        m.put("orderMessageEnable", String.valueOf(orderMessageEnable));
        m.put("kvConfigPath", kvConfigPath);
        m.put("serverInstances", String.valueOf(serverInstances));
        m.put("tlsMode", tlsMode);
        m.put("tlsCertFile", tlsCertFile);
        m.put("tlsKeyFile", tlsKeyFile);
        m.put("tlsTrustCertFile", tlsTrustCertFile);
        m.put("tlsClientAuth", tlsClientAuth);
        m.put("maxConnections", String.valueOf(maxConnections));
        m.put("maxConnectionsPerAddress", String.valueOf(maxConnectionsPerAddress));
        m.put("serverChannelMaxIdleTimeSeconds", String.valueOf(serverChannelMaxIdleTimeSeconds));
        m.put("frameReadTimeoutMs", String.valueOf(frameReadTimeoutMs));
        m.put("maxInFlightRequestsPerConnection", String.valueOf(maxInFlightRequestsPerConnection));
        m.put("aclEnable", String.valueOf(aclEnable));
        m.put("aclFile", aclFile);
        m.put("aclReloadIntervalMs", String.valueOf(aclReloadIntervalMs));
        return m;
    }

    /**
     * Applies the runtime-updatable keys of {@code properties}, all or none (IllegalArgumentException on a bad
     * value); returns the keys applied.
     */
    public Set<String> applyRuntimeUpdate(Properties properties) {
        Set<String> applied = new TreeSet<>();
        for (String key : properties.stringPropertyNames()) {
            if (RUNTIME_UPDATABLE.contains(key)) {
                applied.add(key);
            }
        }
        NameServerConfig check = new NameServerConfig();
        applied.forEach(key -> check.set(key, properties.getProperty(key)));  // all or nothing
        applied.forEach(key -> set(key, properties.getProperty(key)));
        return applied;
    }

    private void set(String key, String raw) {
        String v = raw.trim();
        try {
            switch (key) {
                case "listenPort" -> listenPort = Integer.parseInt(v);
                case "host" -> host = v;
                case "brokerExpiryMs" -> brokerExpiryMs = Long.parseLong(v);
                case "scanIntervalMs" -> scanIntervalMs = Long.parseLong(v);
                case "orderMessageEnable" -> orderMessageEnable = Boolean.parseBoolean(v);
                case "kvConfigPath" -> kvConfigPath = v;
                case "serverInstances" -> serverInstances = Integer.parseInt(v);
                case "tlsMode" -> tlsMode = v;
                case "tlsCertFile" -> tlsCertFile = v;
                case "tlsKeyFile" -> tlsKeyFile = v;
                case "tlsTrustCertFile" -> tlsTrustCertFile = v;
                case "tlsClientAuth" -> tlsClientAuth = v;
                case "maxConnections" -> maxConnections = Integer.parseInt(v);
                case "maxConnectionsPerAddress" -> maxConnectionsPerAddress = Integer.parseInt(v);
                case "serverChannelMaxIdleTimeSeconds" -> serverChannelMaxIdleTimeSeconds = Integer.parseInt(v);
                case "frameReadTimeoutMs" -> frameReadTimeoutMs = Long.parseLong(v);
                case "maxInFlightRequestsPerConnection" -> maxInFlightRequestsPerConnection = Integer.parseInt(v);
                case "aclEnable" -> aclEnable = Boolean.parseBoolean(v);
                case "aclFile" -> aclFile = v;
                case "aclReloadIntervalMs" -> aclReloadIntervalMs = Long.parseLong(v);
                default -> {
                    // unknown keys are ignored: the launcher passes whole config sections
                }
            }
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("config key " + key + ": not a number: '" + raw + "'");
        }
    }
}

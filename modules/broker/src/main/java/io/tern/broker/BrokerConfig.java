package io.tern.broker;

import io.tern.remoting.security.ClientTls;
import io.tern.remoting.security.ConnectionLimits;
import io.tern.remoting.security.TlsMode;
import io.tern.remoting.security.TlsSettings;
import io.tern.store.StoreConfig;
import io.vertx.core.json.JsonObject;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.Arrays;
import java.util.List;

/**
 * Broker settings with RocketMQ's defaults; every key is documented in src-docs/configuration.md ("Broker").
 * Public fields so tests and the launcher can set them directly.
 */
public final class BrokerConfig {
    public String brokerName = "broker-a";
    public String clusterName = "DefaultCluster";
    /** 0 for the master of the group, 1 and above for its slaves (controller mode: changes with the role). */
    public volatile long brokerId = 0;
    /** Controller mode: the role to take when elected; the current role while running. */
    public volatile BrokerRole brokerRole = BrokerRole.ASYNC_MASTER;
    /** Replication port (master: slaves connect here); -1 = listenPort + 1 (ephemeral when listenPort is 0), 0 = ephemeral. */
    public int haListenPort = -1;
    /** Slave: the master's "host:haPort"; empty = learned from the nameservers' registration answers. */
    public String haMasterAddress = "";
    /** Copies of a message (the master's included) a SYNC_MASTER send waits for; 0 = 2 under SYNC_MASTER, else 1. */
    public int inSyncReplicas = 0;
    /** SYNC_MASTER: a slave further behind than this many bytes does not count (SLAVE_NOT_AVAILABLE). */
    public long haMaxGapNotInSync = 256L * 1024 * 1024;
    /** Most commit-log bytes in one replication frame. */
    public int haTransferBatchBytes = 256 * 1024;
    /** Idle replication connections exchange a heartbeat this often; the master drops a slave silent for 4 times this. */
    public long haHeartbeatIntervalMs = 5_000;
    /** Slave: longest pause between reconnection attempts (the first retry is after 100 ms, doubling). */
    public long haReconnectMaxBackoffMs = 5_000;
    /** Slave: how often topics, groups, consumer offsets and delay offsets are fetched from the master. */
    public long metadataSyncIntervalMs = 10_000;
    /** Pulls reading further than this percentage of physical memory behind the log's end are pointed to a slave. */
    public int accessMessageInMemoryMaxRatio = 40;
    /** Remoting port; 0 = ephemeral. */
    public int listenPort = 10911;
    public String host = "0.0.0.0";
    /** Address advertised to clients and written into message ids and stored records. */
    public String brokerIP1 = "127.0.0.1";
    /** Nameserver addresses "host:port", several separated by ';'. */
    public String namesrvAddr = "127.0.0.1:9876";
    /** HTTP API port; 0 = ephemeral, -1 = disabled. */
    public int httpPort = 8080;
    public volatile boolean autoCreateTopicEnable = true;
    public boolean autoCreateSubscriptionGroup = true;
    /** Queues of TBW102, hence the most an auto-created topic gets. */
    public int defaultTopicQueueNums = 8;
    public long registerNameServerPeriodMs = 30_000;
    public long persistConsumerOffsetIntervalMs = 5_000;
    public volatile boolean longPollingEnable = true;
    public volatile String regionId = "DefaultRegion";
    public volatile boolean traceOn = true;
    /** Broker permission bits (6 = read and write). */
    public volatile int brokerPermission = 6;
    /** Longest hold of a parked pull, whatever the client asks (clients time out at 30 s). */
    public volatile long maxPullSuspendMs = 20_000;
    /** Hold of a parked pull when long polling is disabled. */
    public volatile long shortPollingMs = 1_000;
    /** Most bytes one pull response carries unless the client asks for less (5.x maxMsgBytes). */
    public volatile int maxPullBytes = 256 * 1024;
    /** Client channels without a heartbeat for this long are dropped. */
    public long clientChannelExpiryMs = 120_000;
    /** Remoting verticle instances (event loops serving the wire protocol); 0 = {@link #remotingInstancesFor}. */
    public int remotingInstances = 0;
    /** Also serve the "fast"/VIP port listenPort-2 when listenPort is fixed and above 2. */
    public boolean fastListenPortEnable = true;
    /** Pre-create a topic named after the cluster (perm 7, 16 queues). */
    public boolean clusterTopicEnable = true;
    /** Pre-create a topic named after the broker (perm 7, 1 queue). */
    public boolean brokerTopicEnable = true;
    public boolean notifyConsumerIdsChangedEnable = true;
    /** Timeout of one REGISTER_BROKER / UNREGISTER_BROKER call per nameserver. */
    public long registerTimeoutMs = 3_000;
    /**
     * Serve SQL92 subscriptions (property filters). On by default, unlike RocketMQ: only groups that subscribe with
     * SQL92 pay for it (tag subscriptions take the tag-hash path either way).
     */
    public boolean enablePropertyFilter = true;
    /** How often unfinished transactional half messages are checked with their producers. */
    public long transactionCheckIntervalMs = 60_000;
    /** A half message younger than this is not checked yet. */
    public volatile long transactionTimeOutMs = 6_000;
    /** After this many checks a half message is given up (moved to TRANS_CHECK_MAX_TIME_TOPIC). */
    public volatile int transactionCheckMax = 15;
    // --- pop consumption (src-docs/pop.md) ---
    /** QUERY_ASSIGNMENT's mode for a group no SET_MESSAGE_REQUEST_MODE named: PULL or POP. */
    public String defaultMessageRequestMode = "PULL";
    /** popShareQueueNum of that default when it is POP (-1: every consumer pops every queue). */
    public int defaultPopShareQueueNum = -1;
    /** How often the reviver looks for pops whose invisible time is over. */
    public long popReviveIntervalMs = 1_000;
    /** Percent of pops that read the group's pop retry topic before the topic itself. */
    public int popFromRetryProbability = 20;
    /** Parked pops and notifications per topic@group@queueId before POLLING_FULL. */
    public int popPollingSize = 1024;
    /** Parked pops and notifications in all before POLLING_FULL. */
    public int maxPopPollingSize = 100_000;
    public StoreConfig store = new StoreConfig();

    // --- security: TLS of the remoting port, connection limits, the HTTP API's access (src-docs/security.md) ---
    /** TLS of the remoting ports: disabled, permissive (TLS and plaintext on one port) or enforcing. */
    public String tlsMode = "disabled";
    /** PEM certificate chain of the remoting ports (and of the HTTP API when httpTlsEnable). */
    public String tlsCertFile = "";
    /** PEM private key (PKCS#8 or PKCS#1) of tlsCertFile. */
    public String tlsKeyFile = "";
    /** PEM CA certificates that client certificates must chain to; needed when tlsClientAuth is not none. */
    public String tlsTrustCertFile = "";
    /** Client certificates: none, optional or require. */
    public String tlsClientAuth = "none";
    /** Open remoting connections per broker (main and VIP ports together); 0 = unlimited. */
    public int maxConnections = ConnectionLimits.DEFAULT_MAX_CONNECTIONS;
    /** Open remoting connections from one client IP address; 0 = unlimited. */
    public int maxConnectionsPerAddress = 0;
    /** A remoting connection with no read and no write for this long is closed; 0 = never. */
    public int serverChannelMaxIdleTimeSeconds = ConnectionLimits.DEFAULT_IDLE_SECONDS;
    /** A frame must arrive whole within this long of its first byte, else the connection is closed; 0 = off. */
    public long frameReadTimeoutMs = ConnectionLimits.DEFAULT_FRAME_READ_TIMEOUT_MS;
    /** Requests of one connection in process (parked pulls included) before more are answered SYSTEM_BUSY; 0 = off. */
    public int maxInFlightRequestsPerConnection = ConnectionLimits.DEFAULT_MAX_IN_FLIGHT_REQUESTS;
    /** Bind address of the HTTP API (loopback by default: set 0.0.0.0 with tokens or users to open it). */
    public String httpHost = "127.0.0.1";
    /** Bearer tokens accepted by the HTTP API, separated by ','; none and no httpUsers = a generated token. */
    public String httpTokens = "";
    /** Basic-auth users of the HTTP API, "name:password" separated by ','. */
    public String httpUsers = "";
    /** Ask for credentials on reads too (GET, /metrics, the console), not only on writes. */
    public boolean httpAuthReads = false;
    /** File the generated token is kept in (owner-only), when neither httpTokens nor httpUsers is set; "" = storeRoot/http.token. */
    public String httpTokenFile = "";
    /** Origins allowed to call the HTTP API cross-site (CORS), separated by ','; "" = no CORS headers. */
    public String httpCorsOrigins = "";
    /** Serve the HTTP API over TLS with tlsCertFile / tlsKeyFile. */
    public boolean httpTlsEnable = false;

    /** Keys whose values GET_BROKER_CONFIG and logs never show. */
    public static final java.util.Set<String> SECRET_KEYS = java.util.Set.of("httpTokens", "httpUsers",
            "aclSecretKey");

    /** TLS settings of the remoting ports from the tls* keys. */
    public TlsSettings tlsSettings() {
        return new TlsSettings(TlsMode.parse(tlsMode), tlsCertFile, tlsKeyFile, tlsTrustCertFile, tlsClientAuth);
    }

    /**
     * TLS of the broker's own remoting connections (to nameservers, a slave's to its master): on when tlsMode is
     * enforcing, so a cluster switched to enforcing everywhere keeps registering; verified against
     * tlsTrustCertFile when set.
     */
    public ClientTls clientTls() {
        return new ClientTls(TlsMode.parse(tlsMode) == TlsMode.ENFORCING, tlsTrustCertFile);
    }

    /** Connection limits of the remoting ports. */
    public ConnectionLimits connectionLimits() {
        return new ConnectionLimits(maxConnections, maxConnectionsPerAddress, serverChannelMaxIdleTimeSeconds,
                frameReadTimeoutMs, maxInFlightRequestsPerConnection);
    }
    // --- end security ---

    // message trace (src-docs/trace.md)
    /** Pre-create the trace topic ({@link #msgTraceTopicName}, 1 queue), as RocketMQ does; off as there. */
    public boolean traceTopicEnable = false;
    /** The topic trace records go to (clients with trace on, and the broker with brokerTraceEnable). */
    public String msgTraceTopicName = "RMQ_SYS_TRACE_TOPIC";
    /** The broker writes a Pub trace record for every stored send itself (creates the trace topic). */
    public volatile boolean brokerTraceEnable = false;

    // ---- controller mode (issue 12, src-docs/ha.md "Controller") ----
    /** The group's master is chosen by the controller; brokerId is this replica's fixed id (1 and above). */
    public boolean controllerMode = false;
    /** Controller addresses "host:port" (their controllerListenPort), several separated by ';'. */
    public String controllerAddr = "127.0.0.1:9878";
    /** How often the broker sends its heartbeat to the controller leader. */
    public long controllerHeartbeatIntervalMs = 1_000;

    // ---- plain ACL (src-docs/acl.md) ----
    /** Check every network request against the ACL file (RocketMQ's plain ACL); off = no check, no cost. */
    public boolean aclEnable = false;
    /** The ACL file (RocketMQ's plain_acl.yml shape); relative paths from the working directory. */
    public String aclFile = "conf/acl.yaml";
    /** How often the ACL file is looked at for changes. */
    public long aclReloadIntervalMs = 5_000;
    /** The account this broker signs its own requests with (nameservers, a slave's master); empty = see acl.md. */
    public String aclAccessKey = "";
    /** Secret of {@link #aclAccessKey}; never shown by GET_BROKER_CONFIG or in logs. */
    public String aclSecretKey = "";

    // ---- Vert.x's own meters on /metrics (src-docs/http-api.md "Vert.x meters") ----
    /** Show Vert.x's meters (worker pools, event bus, HTTP server, verticles) on /metrics; off = none collected. */
    public boolean vertxMetricsEnabled = true;
    /** Also count the remoting TCP servers' and clients' connections and bytes (a meter call per buffer). */
    public boolean vertxMetricsNetEnabled = false;

    /** Keys UPDATE_BROKER_CONFIG may change while the broker runs (the fields are volatile). */
    public static final java.util.Set<String> RUNTIME_KEYS = java.util.Set.of("autoCreateTopicEnable",
            "brokerPermission", "longPollingEnable", "maxPullSuspendMs", "shortPollingMs", "maxPullBytes", "regionId",
            "traceOn", "transactionTimeOutMs", "transactionCheckMax", "brokerTraceEnable");

    /** Applies the runtime-changeable keys among {@code values}; returns the keys applied. */
    public java.util.Set<String> applyRuntimeChanges(java.util.Map<String, String> values) {
        JsonObject json = new JsonObject();
        values.forEach((k, v) -> {
            if (RUNTIME_KEYS.contains(k) && v != null) {
                json.put(k, v.trim());
            }
        });
        bind(this, json, "store");
        return json.fieldNames();
    }

    public List<String> nameServerAddresses() {
        if (namesrvAddr == null || namesrvAddr.isBlank()) {
            return List.of();
        }
        return Arrays.stream(namesrvAddr.split(";")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    }

    /** Binds known keys; unknown keys are ignored, missing keys keep their defaults. */
    public static BrokerConfig fromJson(JsonObject json) {
        BrokerConfig c = new BrokerConfig();
        if (json == null) {
            return c;
        }
        bind(c, json, "store");
        JsonObject storeJson = json.getValue("store") instanceof JsonObject o ? o : new JsonObject();
        if (json.containsKey("storeRoot") && !storeJson.containsKey("storeRoot")) {
            storeJson = storeJson.copy().put("storeRoot", json.getValue("storeRoot"));
        }
        if (json.containsKey("flushMode") && !storeJson.containsKey("flushMode")) {
            storeJson = storeJson.copy().put("flushMode", json.getValue("flushMode"));
        }
        bind(c.store, storeJson, null);
        return c;
    }

    /** Sets every public non-static field of {@code target} named by a key of {@code json}. */
    static void bind(Object target, JsonObject json, String skip) {
        for (Field f : target.getClass().getFields()) {
            if (Modifier.isStatic(f.getModifiers()) || f.getName().equals(skip) || !json.containsKey(f.getName())) {
                continue;
            }
            Object v = json.getValue(f.getName());
            if (v == null) {
                continue;
            }
            try {
                f.set(target, convert(f.getType(), v, f.getName()));
            } catch (IllegalAccessException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static Object convert(Class<?> type, Object v, String key) {
        String s = v.toString().trim();
        try {
            if (type == String.class) {
                return v.toString();
            } else if (type == int.class || type == Integer.class) {
                return v instanceof Number n ? n.intValue() : Integer.parseInt(s);
            } else if (type == long.class || type == Long.class) {
                return v instanceof Number n ? n.longValue() : Long.parseLong(s);
            } else if (type == boolean.class || type == Boolean.class) {
                return v instanceof Boolean b ? b : Boolean.parseBoolean(s);
            } else if (type == double.class) {
                return v instanceof Number n ? n.doubleValue() : Double.parseDouble(s);
            } else if (type.isEnum()) {
                return Enum.valueOf((Class<Enum>) type, s.toUpperCase());
            }
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("config key " + key + ": cannot use '" + v + "' as " + type.getSimpleName());
        }
        throw new IllegalArgumentException("config key " + key + " has unsupported type " + type.getSimpleName());
    }

    /** Copies a SYNC_MASTER send waits for, the master's included (1 = no waiting). */
    public int effectiveInSyncReplicas() {
        if (brokerRole != BrokerRole.SYNC_MASTER) {
            return 1;
        }
        return inSyncReplicas > 0 ? inSyncReplicas : 2;
    }

    /** The replication port to bind: haListenPort, or listenPort + 1 (0 when listenPort is ephemeral). */
    public int haPortToBind(int boundListenPort) {
        if (haListenPort >= 0) {
            return haListenPort;
        }
        return listenPort == 0 ? 0 : boundListenPort + 1;
    }

    /** Rejects a role and id that do not fit (a master is id 0, a slave 1 and above). */
    public void checkRole() {
        if (brokerRole.isMaster() != (brokerId == 0)) {
            throw new IllegalArgumentException("brokerRole " + brokerRole + " needs brokerId "
                    + (brokerRole.isMaster() ? "0" : ">= 1") + ", not " + brokerId);
        }
        if (brokerId < 0) {
            throw new IllegalArgumentException("brokerId must not be negative: " + brokerId);
        }
    }

    /** The remoting event loops this config asks for on a machine with {@code cores} cores. */
    public int remotingInstancesFor(int cores) {
        return remotingInstances > 0 ? remotingInstances : Math.max(1, cores / 2);
    }
}

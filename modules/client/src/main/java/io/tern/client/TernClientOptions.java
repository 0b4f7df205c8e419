package io.tern.client;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Settings of a {@link TernClient}; the defaults are those of the official RocketMQ client (spec 9.1).
 *
 * <p>Not thread-safe: configure, then pass to {@link TernClient#create}.
 */
public final class TernClientOptions {
    private List<String> namesrvAddrs = new ArrayList<>(List.of("127.0.0.1:9876"));
    private String instanceName;
    private String clientIp;
    private long requestTimeoutMs = 3_000;
    private long heartbeatIntervalMs = 30_000;
    private long routePollIntervalMs = 30_000;
    private boolean tls;
    private String tlsTrustCertFile = "";
    private String accessKey;
    private String secretKey;

    public List<String> getNamesrvAddrs() {
        return namesrvAddrs;
    }

    /** Nameserver addresses "host:port"; several separated by ';' as in RocketMQ's namesrvAddr. */
    public TernClientOptions setNamesrvAddr(String namesrvAddr) {
        List<String> addrs = new ArrayList<>();
        for (String a : namesrvAddr.split(";")) {
            if (!a.isBlank()) {
                addrs.add(a.trim());
            }
        }
        return setNamesrvAddrs(addrs);
    }

    public TernClientOptions setNamesrvAddrs(List<String> namesrvAddrs) {
        if (namesrvAddrs.isEmpty()) {
            throw new IllegalArgumentException("at least one nameserver address");
        }
        this.namesrvAddrs = new ArrayList<>(namesrvAddrs);
        return this;
    }

    public TernClientOptions setNamesrvAddrs(String... namesrvAddrs) {
        return setNamesrvAddrs(Arrays.asList(namesrvAddrs));
    }

    /** Null (default) = {@code pid#nanoTime}, unique per client, like the official client's "DEFAULT". */
    public String getInstanceName() {
        return instanceName;
    }

    public TernClientOptions setInstanceName(String instanceName) {
        this.instanceName = instanceName;
        return this;
    }

    /** Null (default) = the first non-loopback IPv4 address of this host, else 127.0.0.1. */
    public String getClientIp() {
        return clientIp;
    }

    public TernClientOptions setClientIp(String clientIp) {
        this.clientIp = clientIp;
        return this;
    }

    /** Timeout of sends and of route, heartbeat, offset and unregister calls (default 3000). */
    public long getRequestTimeoutMs() {
        return requestTimeoutMs;
    }

    public TernClientOptions setRequestTimeoutMs(long requestTimeoutMs) {
        this.requestTimeoutMs = positive(requestTimeoutMs, "requestTimeoutMs");
        return this;
    }

    /** Heartbeat to every broker every this many ms (default 30000). */
    public long getHeartbeatIntervalMs() {
        return heartbeatIntervalMs;
    }

    public TernClientOptions setHeartbeatIntervalMs(long heartbeatIntervalMs) {
        this.heartbeatIntervalMs = positive(heartbeatIntervalMs, "heartbeatIntervalMs");
        return this;
    }

    /** Routes of every topic in use are re-read from the nameserver every this many ms (default 30000). */
    public long getRoutePollIntervalMs() {
        return routePollIntervalMs;
    }

    public TernClientOptions setRoutePollIntervalMs(long routePollIntervalMs) {
        this.routePollIntervalMs = positive(routePollIntervalMs, "routePollIntervalMs");
        return this;
    }

    /** The ACL account the client signs every request with (src-docs/acl.md); null (default) = unsigned. */
    public String getAccessKey() {
        return accessKey;
    }

    public String getSecretKey() {
        return secretKey;
    }

    /**
     * Signs every request to nameservers and brokers with this account, as the official client's
     * {@code AclClientRPCHook} does, for servers that run with {@code aclEnable}. Both keys, or both null to stop.
     */
    public TernClientOptions setCredentials(String accessKey, String secretKey) {
        if ((accessKey == null) != (secretKey == null)) {
            throw new IllegalArgumentException("give both the access key and the secret key, or neither");
        }
        this.accessKey = accessKey;
        this.secretKey = secretKey;
        return this;
    }

    /** Connect to nameservers and brokers over TLS (their {@code tlsMode} permissive or enforcing); default false. */
    public boolean isTls() {
        return tls;
    }

    public TernClientOptions setTls(boolean tls) {
        this.tls = tls;
        return this;
    }

    /**
     * PEM CA certificates the servers' certificates must chain to; empty (the default) = any certificate is accepted,
     * as RocketMQ's client does unless {@code tls.client.authServer} is set.
     */
    public String getTlsTrustCertFile() {
        return tlsTrustCertFile;
    }

    public TernClientOptions setTlsTrustCertFile(String tlsTrustCertFile) {
        this.tlsTrustCertFile = tlsTrustCertFile == null ? "" : tlsTrustCertFile;
        return this;
    }

    static long positive(long value, String name) {
        if (value <= 0) {
            throw new IllegalArgumentException(name + " must be > 0, not " + value);
        }
        return value;
    }
}

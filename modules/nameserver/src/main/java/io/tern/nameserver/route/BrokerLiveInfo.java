package io.tern.nameserver.route;

import io.tern.common.protocol.DataVersion;
import io.tern.remoting.RemotingChannel;

/**
 * Liveness of one registered broker address: when it last registered, with which topic data version, over which
 * connection. Guarded by the {@link RouteRegistry} lock.
 */
public final class BrokerLiveInfo {
    final String brokerAddr;
    final String clusterName;
    final String brokerName;
    final long brokerId;
    /** Per-broker expiry (5.x header heartbeatTimeoutMillis); -1 = the configured brokerExpiryMs. */
    final long timeoutMs;
    final DataVersion dataVersion;
    final RemotingChannel connection;
    final String haServerAddr;
    long lastUpdateMs;

    BrokerLiveInfo(BrokerRegistration r, DataVersion dataVersion, long nowMs) {
        this.brokerAddr = r.brokerAddr();
        this.clusterName = r.clusterName();
        this.brokerName = r.brokerName();
        this.brokerId = r.brokerId();
        this.timeoutMs = r.timeoutMs();
        this.dataVersion = dataVersion;
        this.connection = r.connection();
        this.haServerAddr = r.haServerAddr();
        this.lastUpdateMs = nowMs;
    }

    public String brokerAddr() {
        return brokerAddr;
    }

    public String brokerName() {
        return brokerName;
    }

    public String clusterName() {
        return clusterName;
    }

    /** The connection the broker last registered over; null when registered without one. */
    public RemotingChannel connection() {
        return connection;
    }

    boolean expired(long nowMs, long defaultTimeoutMs) {
        long timeout = timeoutMs > 0 ? timeoutMs : defaultTimeoutMs;
        return nowMs - lastUpdateMs > timeout;
    }
}

package io.tern.broker.client;

import io.tern.remoting.RemotingChannel;

/** One client connection as known from its heartbeats. {@code lastUpdateMs} is refreshed by each heartbeat. */
public final class ClientChannel {
    public final RemotingChannel connection;
    public final String clientId;
    public final String language;
    public final int version;
    volatile long lastUpdateMs;

    public ClientChannel(RemotingChannel connection, String clientId, String language, int version, long nowMs) {
        this.connection = connection;
        this.clientId = clientId;
        this.language = language;
        this.version = version;
        this.lastUpdateMs = nowMs;
    }

    public long lastUpdateMs() {
        return lastUpdateMs;
    }
}

package io.tern.remoting.security;

/**
 * Limits a remoting server puts on its connections; 0 switches a limit off.
 *
 * @param maxConnections           open connections per server (the broker's main and VIP ports count together)
 * @param maxConnectionsPerAddress open connections from one client IP address
 * @param idleSeconds              a connection with no read and no write for this long is closed (RocketMQ's
 *                                 {@code serverChannelMaxIdleTimeSeconds}, 120)
 * @param frameReadTimeoutMs       a frame must arrive whole within this long of its first byte
 * @param maxInFlightRequests      requests of one connection being processed (parked pulls included) before
 *                                 further ones are answered SYSTEM_BUSY
 */
public record ConnectionLimits(int maxConnections, int maxConnectionsPerAddress, int idleSeconds,
                               long frameReadTimeoutMs, int maxInFlightRequests) {
    public static final int DEFAULT_MAX_CONNECTIONS = 65_536;
    public static final int DEFAULT_IDLE_SECONDS = 120;
    public static final long DEFAULT_FRAME_READ_TIMEOUT_MS = 30_000;
    public static final int DEFAULT_MAX_IN_FLIGHT_REQUESTS = 4_096;

    /** The defaults: per-address limit off (clients behind one NAT or on loopback share an address). */
    public static final ConnectionLimits DEFAULTS = new ConnectionLimits(DEFAULT_MAX_CONNECTIONS, 0,
            DEFAULT_IDLE_SECONDS, DEFAULT_FRAME_READ_TIMEOUT_MS, DEFAULT_MAX_IN_FLIGHT_REQUESTS);

    public ConnectionLimits {
        if (maxConnections < 0 || maxConnectionsPerAddress < 0 || idleSeconds < 0 || frameReadTimeoutMs < 0
                || maxInFlightRequests < 0) {
            throw new IllegalArgumentException("connection limits must not be negative (0 = off)");
        }
    }
}

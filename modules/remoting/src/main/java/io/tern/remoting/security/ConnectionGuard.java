package io.tern.remoting.security;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * Admits connections under {@link ConnectionLimits} and counts every refusal and every close a limit caused. One
 * guard per listening server, shared by its verticle instances (one per event loop); a broker shares one between its
 * main and VIP ports, so {@code maxConnections} is per broker.
 *
 * <p>Thread-safe.
 */
public final class ConnectionGuard {
    /** Why a connection was refused or closed; the label of the counters in /metrics. */
    public enum Reason {
        MAX_CONNECTIONS("max_connections"),
        MAX_CONNECTIONS_PER_ADDRESS("max_connections_per_address"),
        IDLE("idle"),
        SLOW_FRAME("slow_frame"),
        IN_FLIGHT("max_in_flight_requests"),
        TLS_HANDSHAKE("tls_handshake");

        private final String label;

        Reason(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }

    private final ConnectionLimits limits;
    private final AtomicInteger open = new AtomicInteger();
    private final Map<String, Integer> openByAddress = new ConcurrentHashMap<>();
    private final LongAdder[] counts = new LongAdder[Reason.values().length];

    public ConnectionGuard(ConnectionLimits limits) {
        this.limits = limits;
        for (int i = 0; i < counts.length; i++) {
            counts[i] = new LongAdder();
        }
    }

    /** A guard with the default limits. */
    public static ConnectionGuard withDefaults() {
        return new ConnectionGuard(ConnectionLimits.DEFAULTS);
    }

    public ConnectionLimits limits() {
        return limits;
    }

    /**
     * Takes a slot for a new connection from {@code address} (the client's IP); false, counted, when a limit is
     * reached. A connection admitted must be {@link #release released} once closed.
     *
     * <p>The address's slot is taken before the broker-wide one, so {@link #openConnections} counts only connections
     * that hold both: taken the other way round, it counted a connection still to be refused for its address, and
     * one that waited for it to show (TernNodeTest) could see a later connection from the same address admitted in
     * its place. A connection over both limits is counted as over the per-address one.
     */
    public boolean admit(String address) {
        int perAddress = limits.maxConnectionsPerAddress();
        if (perAddress > 0 && !admitFrom(address, perAddress)) {
            count(Reason.MAX_CONNECTIONS_PER_ADDRESS);
            return false;
        }
        int max = limits.maxConnections();
        if (open.incrementAndGet() > max && max > 0) {
            open.decrementAndGet();
            if (perAddress > 0) {
                releaseFrom(address);
            }
            count(Reason.MAX_CONNECTIONS);
            return false;
        }
        return true;
    }

    private boolean admitFrom(String address, int perAddress) {
        boolean[] admitted = {false};
        openByAddress.compute(address, (a, n) -> {
            int current = n == null ? 0 : n;
            if (current >= perAddress) {
                return n;
            }
            admitted[0] = true;
            return current + 1;
        });
        return admitted[0];
    }

    /** Gives back the slot of an admitted connection from {@code address}. */
    public void release(String address) {
        open.decrementAndGet();
        if (limits.maxConnectionsPerAddress() > 0) {
            releaseFrom(address);
        }
    }

    private void releaseFrom(String address) {
        openByAddress.computeIfPresent(address, (a, n) -> n <= 1 ? null : n - 1);
    }

    public void count(Reason reason) {
        counts[reason.ordinal()].increment();
    }

    /** Refusals and closes for {@code reason} since start. */
    public long total(Reason reason) {
        return counts[reason.ordinal()].sum();
    }

    /** Open connections admitted by this guard. */
    public int openConnections() {
        return open.get();
    }
}

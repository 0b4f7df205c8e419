package io.tern.remoting.bus;

import io.vertx.core.Vertx;
import io.vertx.core.shareddata.LocalMap;

/**
 * The remoting servers of one Vert.x instance that also answer over the event bus ({@link RemotingOverBus}), by
 * listening port: a client of this Vert.x instance that would dial one of them on a loopback address may send its
 * requests over the bus instead — no socket, no frame encoding. A standalone broker reaches its co-located
 * nameserver this way.
 *
 * <p>Thread-safe (a Vert.x local map).
 */
public final class InProcessServers {
    private static final String MAP = "tern.remoting.inProcessServers";

    private InProcessServers() {
    }

    /** Records that the server listening on {@code port} also answers at {@code busAddress}. */
    public static void announce(Vertx vertx, int port, String busAddress) {
        servers(vertx).put(port, busAddress);
    }

    /** Forgets the server on {@code port} (it stops). */
    public static void withdraw(Vertx vertx, int port) {
        servers(vertx).remove(port);
    }

    /**
     * The event-bus address of the server that {@code hostPort} ("host:port") names in this Vert.x instance, or null
     * when it names none: the host must be a loopback address ({@code 127.x.x.x}, {@code ::1}, {@code localhost})
     * and the port one announced here.
     */
    public static String busAddressOf(Vertx vertx, String hostPort) {
        int colon = hostPort.lastIndexOf(':');
        if (colon <= 0 || !isLoopback(hostPort.substring(0, colon).trim())) {
            return null;
        }
        try {
            return servers(vertx).get(Integer.parseInt(hostPort.substring(colon + 1).trim()));
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static boolean isLoopback(String host) {
        return host.startsWith("127.") || host.equals("localhost") || host.equals("::1") || host.equals("[::1]");
    }

    private static LocalMap<Integer, String> servers(Vertx vertx) {
        return vertx.sharedData().getLocalMap(MAP);
    }
}

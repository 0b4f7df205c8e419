package io.tern.remoting;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * Tern's one rule for ephemeral ports: a configured port of {@code 0} means "a free port of this server's own",
 * for every server Tern runs — nameserver, broker remoting, broker HTTP, the launcher's roles — however many other
 * servers listen in the same JVM or on the same Vert.x instance. Read the port actually bound from the server.
 *
 * <p>Why a rule is needed: Vert.x shares one listening socket between the servers of one Vertx instance bound to
 * the same positive port, and between those bound to the same <em>negative</em> port (one random port per
 * negative value); port 0 gives each server instance a socket of its own. A remoting server is deployed as one
 * verticle instance per event loop, and those instances must share one random port that no other server joins:
 * {@link #toBind} turns 0 into a negative value used by nobody else. A fixed port is bound as given, and so is
 * a negative one (an explicit Vert.x sharing key).
 *
 * <p>Thread-safe.
 */
public final class ListenPort {
    private static final AtomicInteger LAST_SHARING_KEY = new AtomicInteger();

    private ListenPort() {
    }

    /** The port to pass to Vert.x for a configured port; call once per server (not once per verticle instance). */
    public static int toBind(int configuredPort) {
        return configuredPort == 0 ? -LAST_SHARING_KEY.incrementAndGet() : configuredPort;
    }
}

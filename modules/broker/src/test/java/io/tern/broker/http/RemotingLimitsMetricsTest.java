package io.tern.broker.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tern.remoting.protocol.RemotingCommand;
import io.tern.remoting.protocol.RequestCode;
import io.tern.remoting.security.RawRemoting;
import java.net.Socket;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The broker's connection limits come from its config and every refusal shows in its /metrics. */
class RemotingLimitsMetricsTest {
    @TempDir
    Path dir;

    @Test
    void refusedConnectionsAreCountedInMetrics() throws Exception {
        try (HttpTestBroker b = new HttpTestBroker(dir, "broker-limits", c -> {
            c.maxConnectionsPerAddress = 1;
            c.maxInFlightRequestsPerConnection = 1000;
        })) {
            int port = Integer.parseInt(b.broker.address().substring(b.broker.address().indexOf(':') + 1));
            String before = b.get("/metrics").body();
            assertTrue(before.contains(refused("max_connections_per_address") + " 0.0"), before);
            try (Socket first = RawRemoting.plainSocket(port)) {
                assertEquals(0, RawRemoting.call(first, RemotingCommand.request(RequestCode.GET_BROKER_RUNTIME_INFO))
                        .code());
                try (Socket second = RawRemoting.plainSocket(port)) {
                    assertTrue(RawRemoting.closedByServer(second));
                }
                String after = b.get("/metrics").body();
                assertTrue(after.contains(refused("max_connections_per_address") + " 1.0"), after);
                assertTrue(after.contains("tern_remoting_guarded_connections{server=\"broker\"} 1.0"), after);
                for (String reason : new String[] {"max_connections", "idle", "slow_frame", "max_in_flight_requests",
                        "tls_handshake"}) {
                    assertTrue(after.contains(refused(reason)), reason);
                }
            }
        }
    }

    private static String refused(String reason) {
        return "tern_remoting_refused_total{reason=\"" + reason + "\",server=\"broker\"}";
    }
}

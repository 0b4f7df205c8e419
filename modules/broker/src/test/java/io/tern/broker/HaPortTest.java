package io.tern.broker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The replication port: listenPort + 1 by default, an ephemeral one when that is taken, and registered as bound. */
class HaPortTest {
    @TempDir
    Path dir;

    @Test
    void aTakenDefaultHaPortFallsBackToAnEphemeralOne() throws Exception {
        try (ServerSocket taken = new ServerSocket()) {
            int listenPort = -1;
            for (int attempt = 0; attempt < 20 && listenPort < 0; attempt++) {
                ServerSocket probe = new ServerSocket();
                probe.bind(new InetSocketAddress("127.0.0.1", 0));
                int candidate = probe.getLocalPort();
                probe.close();
                if (candidate < 65535 && bindable(candidate) && bindable(candidate + 1)) {
                    taken.bind(new InetSocketAddress("0.0.0.0", candidate + 1));
                    listenPort = candidate;
                }
            }
            assertTrue(listenPort > 0, "found a port whose successor could be held");
            int port = listenPort;
            try (BrokerHarness h = new BrokerHarness(dir, c -> {
                c.listenPort = port;
                c.fastListenPortEnable = false;
            })) {
                int haPort = h.broker.components().address().haPort();
                assertTrue(haPort > 0);
                assertNotEquals(port + 1, haPort);
                h.nameServer.awaitRegistrations(1);
                assertEquals("127.0.0.1:" + haPort, h.nameServer.last().header().get("haServerAddr"));
            }
        }
    }

    private static boolean bindable(int port) {
        try (ServerSocket s = new ServerSocket()) {
            s.bind(new InetSocketAddress("0.0.0.0", port));
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}

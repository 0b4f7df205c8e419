package io.tern.broker;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tern.remoting.protocol.RemotingCommand;
import io.tern.remoting.protocol.RequestCode;
import io.tern.remoting.protocol.ResponseCode;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** With a fixed listenPort the broker also serves the VIP port listenPort−2 (spec 7.4). */
class FastPortTest {
    @TempDir
    Path dir;

    /** A port p with p and p−2 both free a moment ago. */
    private static int portPair() throws IOException {
        for (int attempt = 0; attempt < 50; attempt++) {
            int p;
            try (ServerSocket s = new ServerSocket(0)) {
                p = s.getLocalPort();
            }
            if (p > 1026 && free(p - 2) && free(p)) {
                return p;
            }
        }
        throw new IllegalStateException("no free port pair");
    }

    private static boolean free(int port) {
        try (ServerSocket s = new ServerSocket()) {
            s.bind(new InetSocketAddress("127.0.0.1", port));
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    @Test
    void vipPortServesTheSameRequests() throws Exception {
        int port = portPair();
        try (BrokerHarness h = new BrokerHarness(dir, c -> c.listenPort = port)) {
            assertEquals(port, h.broker.port());
            RemotingCommand viaVip = h.client.invoke("127.0.0.1:" + (port - 2), RemotingCommand.request(
                    RequestCode.GET_MAX_OFFSET).put("topic", "TBW102").put("queueId", 0), 5000)
                    .await(10, TimeUnit.SECONDS);
            assertEquals(ResponseCode.SUCCESS, viaVip.code());
            assertEquals("0", viaVip.ext("offset"));
        }
    }
}

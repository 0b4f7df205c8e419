package io.tern.nameserver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import io.tern.remoting.protocol.ResponseCode;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** A broker registers with several nameservers; tests run them on one Vert.x instance, each on its own port. */
class TwoNameServersTest extends NameServerTestBase {
    @Test
    void secondEphemeralNameServerOnTheSameVertxGetsItsOwnPortAndRegistry() throws Exception {
        NameServerConfig other = new NameServerConfig();
        other.listenPort = 0;
        other.host = "127.0.0.1";
        other.serverInstances = 2;
        other.kvConfigPath = tempDir.resolve("other/kvConfig.json").toString();
        NameServer second = NameServer.start(vertx, other).await(30, TimeUnit.SECONDS);
        try {
            assertNotEquals(nameServer.port(), second.port());
            call(registerRequest("broker-a", 0, "127.0.0.1:20911", body(1, topic("OnlyFirst", 1, 6))));
            for (int i = 0; i < 8; i++) {
                // every connection lands on the first nameserver, whichever event loop accepts it
                assertEquals(ResponseCode.TOPIC_NOT_EXIST, newClient().invoke("127.0.0.1:" + second.port(),
                        io.tern.remoting.protocol.RemotingCommand.request(105).put("topic", "OnlyFirst"),
                        REQUEST_TIMEOUT_MS).await(30, TimeUnit.SECONDS).code());
            }
        } finally {
            second.stop().await(30, TimeUnit.SECONDS);
        }
    }
}

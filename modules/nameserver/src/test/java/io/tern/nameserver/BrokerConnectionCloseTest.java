package io.tern.nameserver;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tern.remoting.RemotingClient;
import io.tern.remoting.protocol.ResponseCode;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** With the default 120 s expiry, only the closed connection can explain a broker's removal. */
class BrokerConnectionCloseTest extends NameServerTestBase {
    @Test
    void closingTheBrokersConnectionRemovesItAtOnce() throws Exception {
        RemotingClient brokerA = newClient();
        RemotingClient brokerB = newClient();
        call(brokerA, registerRequest("broker-a", 0, "127.0.0.1:20911", body(1, topic("T", 4, 6))));
        call(brokerB, registerRequest("broker-b", 0, "127.0.0.1:30911", body(1, topic("T", 4, 6), topic("U", 1, 6))));
        assertEquals(2, json(route("T")).getJsonArray("queueDatas").size());

        brokerB.connection(addr()).await(30, TimeUnit.SECONDS).close().await(30, TimeUnit.SECONDS);

        awaitTrue("broker-b's only topic gone", () -> {
            try {
                return route("U").code() == ResponseCode.TOPIC_NOT_EXIST;
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        assertEquals(1, json(route("T")).getJsonArray("queueDatas").size());
        assertEquals("broker-a", json(route("T")).getJsonArray("brokerDatas").getJsonObject(0).getString("brokerName"));
    }
}

package io.tern.nameserver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tern.remoting.RemotingClient;
import io.tern.remoting.RemotingConnection;
import io.tern.remoting.protocol.RemotingCommand;
import io.tern.remoting.protocol.RequestCode;
import io.tern.remoting.protocol.ResponseCode;
import io.vertx.core.json.JsonObject;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class BrokerExpiryTest extends NameServerTestBase {
    @Override
    void configure(NameServerConfig config) {
        config.brokerExpiryMs = 300;
        config.scanIntervalMs = 50;
    }

    @Test
    void brokerWithoutRegistrationExpiresFromRoutesAndClusterInfo() throws Exception {
        RemotingClient broker = newClient();
        RemotingConnection brokerConnection = broker.connection(addr()).await(30, TimeUnit.SECONDS);
        assertEquals(ResponseCode.SUCCESS, call(broker, registerRequest("broker-a", 0, "127.0.0.1:20911",
                body(1, topic("T", 4, 6)))).code());
        assertEquals(ResponseCode.SUCCESS, call(broker, registerRequest("broker-b", 0, "127.0.0.1:30911",
                body(1, topic("T", 4, 6)))).code());

        awaitTrue("route of T gone", () -> routeCode("T") == ResponseCode.TOPIC_NOT_EXIST);
        JsonObject cluster = clusterInfo();
        assertTrue(cluster.getJsonObject("brokerAddrTable").isEmpty(), cluster.encode());
        assertTrue(cluster.getJsonObject("clusterAddrTable").isEmpty(), cluster.encode());
        awaitTrue("expired broker's connection closed", brokerConnection::isClosed);
    }

    @Test
    void perBrokerHeartbeatTimeoutOverridesTheDefault() throws Exception {
        config.brokerExpiryMs = 600_000;
        // the broker's own connection: expiry closes it, and the queries below must not ride on it
        call(newClient(), registerRequest("broker-a", 0, "127.0.0.1:20911", body(1, topic("T", 4, 6)))
                .put("heartbeatTimeoutMillis", 200));
        awaitTrue("route of T gone", () -> routeCode("T") == ResponseCode.TOPIC_NOT_EXIST);
    }

    @Test
    void slaveExpiryKeepsTheMastersQueues() throws Exception {
        config.brokerExpiryMs = 600_000;
        call(registerRequest("broker-a", 0, "127.0.0.1:20911", body(1, topic("T", 4, 6))));
        call(newClient(), registerRequest("broker-a", 1, "127.0.0.1:21911", body(1))
                .put("heartbeatTimeoutMillis", 200));
        awaitTrue("slave gone", () -> !clusterInfo().encode().contains("21911"));
        JsonObject addrs = json(route("T")).getJsonArray("brokerDatas").getJsonObject(0).getJsonObject("brokerAddrs");
        assertEquals(new JsonObject().put("0", "127.0.0.1:20911"), addrs);
    }

    private int routeCode(String topic) {
        try {
            return route(topic).code();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private JsonObject clusterInfo() {
        try {
            return json(call(RemotingCommand.request(RequestCode.GET_BROKER_CLUSTER_INFO)));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}

package io.tern.broker;

import static io.tern.broker.BrokerHarness.props;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tern.remoting.RemotingClient;
import io.tern.remoting.protocol.RemotingCommand;
import io.tern.remoting.protocol.RequestCode;
import io.tern.remoting.protocol.ResponseCode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Connection and configuration life cycle: closed connections, expired clients, runtime permission changes. */
class LifecycleTest {
    @TempDir
    Path dir;
    BrokerHarness h;

    @BeforeEach
    void start() throws Exception {
        h = new BrokerHarness(dir, c -> c.clientChannelExpiryMs = 400);
    }

    @AfterEach
    void stop() throws Exception {
        h.close();
    }

    private static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 10_000;
        while (!condition.getAsBoolean()) {
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(10);
        }
    }

    @Test
    void parkedPullOfAClosedConnectionIsDropped() throws Exception {
        h.call(BrokerHarness.sendV2("LC", 0, "x", props()));
        RemotingClient other = new RemotingClient(h.vertx);
        other.invoke(h.addr(), BrokerHarness.pull("G", "LC", 0, 1, "*", 15_000), 30_000);
        await(() -> h.broker.components().holds().parkedCount() == 1, "the pull to park");
        other.close().await(5, TimeUnit.SECONDS);
        await(() -> h.broker.components().holds().parkedCount() == 0, "the parked pull to be dropped");
    }

    @Test
    void consumerWithoutHeartbeatExpires() throws Exception {
        RemotingClient consumer = new RemotingClient(h.vertx);
        try {
            h.call(consumer, RemotingCommand.request(RequestCode.HEART_BEAT).body(BrokerHarness.heartbeatBody(
                    "10.3.3.3@e", "CGE", "TE").getBytes(StandardCharsets.UTF_8)));
            RemotingCommand list = RemotingCommand.request(RequestCode.GET_CONSUMER_LIST_BY_GROUP)
                    .put("consumerGroup", "CGE");
            assertEquals(ResponseCode.SUCCESS, h.call(list).code());
            await(() -> h.broker.components().consumers().group("CGE") == null, "the silent consumer to expire");
            RemotingCommand gone = RemotingCommand.request(RequestCode.GET_CONSUMER_LIST_BY_GROUP)
                    .put("consumerGroup", "CGE");
            assertEquals(ResponseCode.SYSTEM_ERROR, h.call(gone).code());
        } finally {
            consumer.close().await(5, TimeUnit.SECONDS);
        }
    }

    @Test
    void readOnlyBrokerRefusesSendsAndAdvertisesItsPermission() throws Exception {
        h.call(BrokerHarness.sendV2("RO", 0, "x", props()));
        RemotingCommand update = RemotingCommand.request(RequestCode.UPDATE_BROKER_CONFIG)
                .body("brokerPermission=4\nlistenPort=1\n".getBytes(StandardCharsets.UTF_8));
        assertEquals(ResponseCode.SUCCESS, h.call(update).code());
        assertEquals(4, h.nameServer.last().body().topicConfigSerializeWrapper.topicConfigTable.get("RO").perm);
        assertEquals(ResponseCode.NO_PERMISSION, h.call(BrokerHarness.sendV2("RO", 0, "y", props())).code());
        assertTrue(h.broker.port() != 1, "listenPort is not a runtime key");
        RemotingCommand pulled = h.call(BrokerHarness.pull("G", "RO", 0, 0, "*", 0));
        assertEquals(ResponseCode.SUCCESS, pulled.code(), "still readable");
    }
}

package io.tern.nameserver.route;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tern.common.protocol.DataVersion;
import io.tern.common.protocol.TopicConfig;
import io.tern.common.protocol.TopicConfigSerializeWrapper;
import io.tern.remoting.ConnectionListener;
import io.tern.remoting.ProcessorTable;
import io.tern.remoting.RemotingClient;
import io.tern.remoting.RemotingConnection;
import io.tern.remoting.RemotingServer;
import io.vertx.core.Vertx;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The registry alone, with a hand-driven clock and real connections as broker identities. */
class RouteRegistryTest {
    private final AtomicLong nowMs = new AtomicLong(1_000_000);
    private final RouteRegistry registry = new RouteRegistry(nowMs::get);
    private Vertx vertx;
    private RemotingServer server;
    private RemotingClient clientA;
    private RemotingClient clientB;

    @BeforeEach
    void start() throws Exception {
        vertx = Vertx.vertx();
        server = RemotingServer.deploy(vertx, "127.0.0.1", 0, 1, new ProcessorTable(), ConnectionListener.NONE)
                .await(30, TimeUnit.SECONDS);
        clientA = new RemotingClient(vertx);
        clientB = new RemotingClient(vertx);
    }

    @AfterEach
    void stop() throws Exception {
        clientA.close().await(30, TimeUnit.SECONDS);
        clientB.close().await(30, TimeUnit.SECONDS);
        vertx.close().await(30, TimeUnit.SECONDS);
    }

    private RemotingConnection connect(RemotingClient client) throws Exception {
        return client.connection("127.0.0.1:" + server.port()).await(30, TimeUnit.SECONDS);
    }

    private static BrokerRegistration registration(String name, long id, String addr, long timeoutMs,
                                                   RemotingConnection connection, TopicConfig... topics) {
        TopicConfigSerializeWrapper w = new TopicConfigSerializeWrapper();
        w.dataVersion = new DataVersion();
        w.dataVersion.counter = 1;
        w.dataVersion.timestamp = 1;
        for (TopicConfig t : topics) {
            w.topicConfigTable.put(t.topicName, t);
        }
        return new BrokerRegistration("C", addr, name, id, addr + "-ha", timeoutMs, w, List.of(), connection);
    }

    @Test
    void onlyTheConnectionOfTheLatestRegistrationCountsOnClose() throws Exception {
        RemotingConnection first = connect(clientA);
        RemotingConnection second = connect(clientB);
        registry.register(registration("b", 0, "h:1", -1, first, new TopicConfig("T", 4, 4, 6)));
        registry.register(registration("b", 0, "h:1", -1, second, new TopicConfig("T", 4, 4, 6)));

        assertTrue(registry.onConnectionClosed(first).isEmpty());
        assertNotNull(registry.routeOf("T"));
        assertEquals(List.of("h:1"), registry.onConnectionClosed(second));
        assertNull(registry.routeOf("T"));
    }

    @Test
    void expiryFollowsTheLastRegistrationOrTouch() {
        registry.register(registration("b", 0, "h:1", -1, null, new TopicConfig("T", 4, 4, 6)));
        nowMs.addAndGet(100);
        assertTrue(registry.expire(100).isEmpty(), "exactly at the limit is still alive");
        registry.touch("h:1");
        nowMs.addAndGet(100);
        assertTrue(registry.expire(100).isEmpty());
        nowMs.addAndGet(1);
        List<BrokerLiveInfo> expired = registry.expire(100);
        assertEquals(1, expired.size());
        assertEquals("h:1", expired.get(0).brokerAddr());
        assertNull(registry.routeOf("T"));
        assertTrue(registry.clusterInfo().clusterAddrTable.isEmpty());
    }

    @Test
    void queuesStayWhileAnAddressRemainsAndAPromotedSlaveLeavesItsOldId() {
        registry.register(registration("b", 0, "h:1", -1, null, new TopicConfig("T", 4, 4, 6)));
        registry.register(registration("b", 1, "h:2", -1, null));
        registry.unregister("C", "h:1", "b", 0);
        // the broker name still has the slave: queue data stays, consumers may read from it
        assertEquals("{1=h:2}", registry.routeOf("T").brokerDatas.get(0).brokerAddrs.toString());
        // the slave at h:2 comes back as master: its entry under id 1 goes
        registry.register(registration("b", 0, "h:2", -1, null, new TopicConfig("T", 4, 4, 6)));
        assertEquals("{0=h:2}", registry.clusterInfo().brokerAddrTable.get("b").brokerAddrs.toString());
    }

    @Test
    void writePermissionIsWipedAndAddedPerBrokerName() {
        registry.register(registration("a", 0, "h:1", -1, null, new TopicConfig("T", 4, 4, 6),
                new TopicConfig("U", 4, 4, 7)));
        registry.register(registration("b", 0, "h:2", -1, null, new TopicConfig("T", 4, 4, 6)));
        assertEquals(2, registry.wipeWritePerm("a"));
        assertEquals(4, registry.routeOf("T").queueDatas.get(0).perm);
        assertEquals(6, registry.routeOf("T").queueDatas.get(1).perm);
        assertEquals(5, registry.routeOf("U").queueDatas.get(0).perm);
        assertEquals(2, registry.addWritePerm("a"));
        assertEquals(7, registry.routeOf("U").queueDatas.get(0).perm);
        assertEquals(0, registry.wipeWritePerm("nobody"));
    }
}

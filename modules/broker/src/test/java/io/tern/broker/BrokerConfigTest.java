package io.tern.broker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tern.store.StoreConfig;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BrokerConfigTest {
    @Test
    void defaultsFollowTheContract() {
        BrokerConfig c = BrokerConfig.fromJson(new JsonObject());
        assertEquals("broker-a", c.brokerName);
        assertEquals("DefaultCluster", c.clusterName);
        assertEquals(10911, c.listenPort);
        assertEquals("127.0.0.1", c.brokerIP1);
        assertEquals(List.of("127.0.0.1:9876"), c.nameServerAddresses());
        assertEquals(8080, c.httpPort);
        assertTrue(c.autoCreateTopicEnable);
        assertEquals(8, c.defaultTopicQueueNums);
        assertEquals(30_000, c.registerNameServerPeriodMs);
        assertEquals(5_000, c.persistConsumerOffsetIntervalMs);
        assertEquals("DefaultRegion", c.regionId);
        assertTrue(c.traceOn);
    }

    @Test
    void rolesFollowRocketMq() {
        BrokerConfig c = BrokerConfig.fromJson(new JsonObject());
        assertEquals(BrokerRole.ASYNC_MASTER, c.brokerRole);
        assertEquals(1, c.effectiveInSyncReplicas(), "an ASYNC_MASTER waits for nobody");
        assertEquals(10912, c.haPortToBind(10911), "HA port defaults to listenPort + 1");
        assertEquals(256L * 1024 * 1024, c.haMaxGapNotInSync);
        c.checkRole();

        BrokerConfig sync = BrokerConfig.fromJson(new JsonObject().put("brokerRole", "sync_master"));
        assertEquals(2, sync.effectiveInSyncReplicas(), "SYNC_MASTER waits for one slave by default");
        sync.inSyncReplicas = 3;
        assertEquals(3, sync.effectiveInSyncReplicas());

        BrokerConfig ephemeral = BrokerConfig.fromJson(new JsonObject().put("listenPort", 0));
        assertEquals(0, ephemeral.haPortToBind(41234), "an ephemeral broker gets an ephemeral HA port");
        assertEquals(7000, BrokerConfig.fromJson(new JsonObject().put("haListenPort", 7000)).haPortToBind(1));

        assertThrows(IllegalArgumentException.class, () -> BrokerConfig.fromJson(
                new JsonObject().put("brokerRole", "SLAVE")).checkRole(), "a slave with id 0");
        assertThrows(IllegalArgumentException.class, () -> BrokerConfig.fromJson(
                new JsonObject().put("brokerId", 1)).checkRole(), "a master with id 1");
        BrokerConfig.fromJson(new JsonObject().put("brokerRole", "SLAVE").put("brokerId", 2)).checkRole();
    }

    @Test
    void remotingEventLoopsDefaultToHalfTheCores() {
        BrokerConfig c = BrokerConfig.fromJson(new JsonObject());
        assertEquals(1, c.remotingInstancesFor(1));
        assertEquals(1, c.remotingInstancesFor(2));
        assertEquals(4, c.remotingInstancesFor(8));
        BrokerConfig fixed = BrokerConfig.fromJson(new JsonObject().put("remotingInstances", 3));
        assertEquals(3, fixed.remotingInstancesFor(2));
    }

    @Test
    void bindsKeysStringsAndTheStoreSection() {
        JsonObject json = new JsonObject()
                .put("brokerName", "b2").put("listenPort", "20911").put("autoCreateTopicEnable", "false")
                .put("namesrvAddr", "10.0.0.1:9876; 10.0.0.2:9876").put("unknownKey", 42)
                .put("storeRoot", "/tmp/top").put("flushMode", "sync_flush")
                .put("store", new JsonObject().put("maxMessageBytes", 1024).put("commitLogSegmentBytes", "4096"));
        BrokerConfig c = BrokerConfig.fromJson(json);
        assertEquals("b2", c.brokerName);
        assertEquals(20911, c.listenPort);
        assertFalse(c.autoCreateTopicEnable);
        assertEquals(List.of("10.0.0.1:9876", "10.0.0.2:9876"), c.nameServerAddresses());
        assertEquals("/tmp/top", c.store.storeRoot);
        assertEquals(StoreConfig.FlushMode.SYNC_FLUSH, c.store.flushMode);
        assertEquals(1024, c.store.maxMessageBytes);
        assertEquals(4096, c.store.commitLogSegmentBytes);

        JsonObject both = new JsonObject().put("storeRoot", "/tmp/top")
                .put("store", new JsonObject().put("storeRoot", "/tmp/inner"));
        assertEquals("/tmp/inner", BrokerConfig.fromJson(both).store.storeRoot, "the store section wins");
        assertThrows(IllegalArgumentException.class,
                () -> BrokerConfig.fromJson(new JsonObject().put("listenPort", "not a number")));
    }

    @Test
    void runtimeChangesTouchOnlyRuntimeKeys() {
        BrokerConfig c = new BrokerConfig();
        var applied = c.applyRuntimeChanges(Map.of("brokerPermission", "4", "listenPort", "1", "traceOn", "false"));
        assertEquals(4, c.brokerPermission);
        assertFalse(c.traceOn);
        assertEquals(10911, c.listenPort);
        assertEquals(2, applied.size());
    }
}

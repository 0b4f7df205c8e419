package io.tern.nameserver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

class NameServerConfigTest {
    @Test
    void defaultsAreRocketMqs() {
        NameServerConfig c = NameServerConfig.fromJson(new JsonObject());
        assertEquals(9876, c.listenPort);
        assertEquals("0.0.0.0", c.host);
        assertEquals(120_000, c.brokerExpiryMs);
        assertEquals(10_000, c.scanIntervalMs);
        assertFalse(c.orderMessageEnable);
        assertEquals(System.getProperty("user.home") + "/namesrv/kvConfig.json", c.resolvedKvConfigPath());
        assertEquals(Runtime.getRuntime().availableProcessors(), c.effectiveServerInstances());
    }

    @Test
    void bindsKnownKeysFromNumbersOrStringsAndIgnoresUnknownOnes() {
        NameServerConfig c = NameServerConfig.fromJson(new JsonObject()
                .put("listenPort", "0").put("brokerExpiryMs", 5000).put("orderMessageEnable", "true")
                .put("serverInstances", 0).put("somethingElse", "x").put("kvConfigPath", "/tmp/kv.json"));
        assertEquals(0, c.listenPort);
        assertEquals(5000, c.brokerExpiryMs);
        assertTrue(c.orderMessageEnable);
        assertEquals("/tmp/kv.json", c.resolvedKvConfigPath());
        assertEquals(Runtime.getRuntime().availableProcessors(), c.effectiveServerInstances());
    }

    @Test
    void badNumberNamesTheKey() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> NameServerConfig.fromJson(new JsonObject().put("listenPort", "abc")));
        assertTrue(e.getMessage().contains("listenPort"));
    }
}

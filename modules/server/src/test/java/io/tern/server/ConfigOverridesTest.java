package io.tern.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tern.broker.BrokerConfig;
import io.tern.broker.BrokerRole;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

class ConfigOverridesTest {

    private static JsonObject yaml() {
        return new JsonObject()
                .put("nameserver", new JsonObject().put("listenPort", 9876))
                .put("broker", new JsonObject().put("listenPort", 10911).put("httpPort", 8080)
                        .put("storeRoot", "${user.home}/tern-store").put("flushMode", "ASYNC_FLUSH"));
    }

    @Test
    void fileValuesPassThroughAndStoreShortcutsMoveUnderStore() {
        JsonObject config = ConfigOverrides.apply(yaml());
        assertEquals(9876, config.getJsonObject("nameserver").getInteger("listenPort"));
        JsonObject broker = config.getJsonObject("broker");
        assertFalse(broker.containsKey("storeRoot"));
        assertEquals(System.getProperty("user.home") + "/tern-store",
                broker.getJsonObject("store").getString("storeRoot"));
        assertEquals("ASYNC_FLUSH", broker.getJsonObject("store").getString("flushMode"));
    }

    @Test
    void ternEnvironmentVariablesOverrideTheFile() {
        JsonObject merged = yaml()
                .put("TERN_NAMESERVER_PORT", "19876")
                .put("TERN_BROKER_PORT", "20911")
                .put("TERN_HTTP_PORT", "-1")
                .put("TERN_STORE_ROOT", "/data/tern")
                .put("TERN_NAMESERVER_ADDR", "10.0.0.1:9876;10.0.0.2:9876")
                .put("TERN_FLUSH_MODE", "SYNC_FLUSH");
        JsonObject config = ConfigOverrides.apply(merged);
        assertEquals(19876, config.getJsonObject("nameserver").getInteger("listenPort"));
        JsonObject broker = config.getJsonObject("broker");
        assertEquals(20911, broker.getInteger("listenPort"));
        assertEquals(-1, broker.getInteger("httpPort"));
        assertEquals("10.0.0.1:9876;10.0.0.2:9876", broker.getString("namesrvAddr"));
        assertEquals("/data/tern", broker.getJsonObject("store").getString("storeRoot"));
        assertEquals("SYNC_FLUSH", broker.getJsonObject("store").getString("flushMode"));
    }

    @Test
    void theBrokerGroupComesFromTheEnvironment() {
        JsonObject merged = yaml()
                .put("TERN_BROKER_NAME", "broker-b")
                .put("TERN_BROKER_ID", "1")
                .put("TERN_BROKER_ROLE", "SLAVE")
                .put("TERN_HA_PORT", "20912")
                .put("TERN_CLUSTER_NAME", "East");
        JsonObject broker = ConfigOverrides.apply(merged).getJsonObject("broker");
        BrokerConfig config = BrokerConfig.fromJson(broker);
        assertEquals("broker-b", config.brokerName);
        assertEquals(1, config.brokerId);
        assertEquals(BrokerRole.SLAVE, config.brokerRole);
        assertEquals(20912, config.haListenPort);
        assertEquals("East", config.clusterName);
        config.checkRole();
    }

    @Test
    void dottedPropertiesSetAnyKeyIncludingNestedOnes() {
        JsonObject merged = yaml()
                .put("TERN_BROKER_PORT", "20911")
                .put("tern.broker.listenPort", "30911")
                .put("tern.broker.store.commitLogSegmentBytes", "67108864")
                .put("tern.broker.autoCreateTopicEnable", "false")
                .put("tern.nameserver.brokerExpiryMs", "5000")
                .put("java.version", "17");
        JsonObject config = ConfigOverrides.apply(merged);
        JsonObject broker = config.getJsonObject("broker");
        assertEquals(30911, broker.getInteger("listenPort"), "a tern.* property beats the TERN_* variable");
        assertEquals(67108864L, broker.getJsonObject("store").getLong("commitLogSegmentBytes"));
        assertEquals(false, broker.getBoolean("autoCreateTopicEnable"));
        assertEquals(5000, config.getJsonObject("nameserver").getInteger("brokerExpiryMs"));
        assertEquals(2, config.size(), "only the two sections remain");
    }

    @Test
    void blankVariablesAreIgnored() {
        JsonObject config = ConfigOverrides.apply(yaml().put("TERN_BROKER_PORT", " "));
        assertEquals(10911, config.getJsonObject("broker").getInteger("listenPort"));
    }

    @Test
    void ternAclFileTurnsTheAclOnForBothRoles() {
        JsonObject config = ConfigOverrides.apply(yaml().put(ConfigOverrides.ACL_FILE_ENV, "/etc/tern/acl.yaml"));
        for (String role : new String[] {"nameserver", "broker"}) {
            assertEquals(true, config.getJsonObject(role).getBoolean("aclEnable"), role);
            assertEquals("/etc/tern/acl.yaml", config.getJsonObject(role).getString("aclFile"), role);
        }
        assertEquals(true, io.tern.nameserver.NameServerConfig.fromJson(config.getJsonObject("nameserver")).aclEnable);
        assertEquals(true, BrokerConfig.fromJson(config.getJsonObject("broker")).aclEnable);
        assertFalse(ConfigOverrides.apply(yaml()).getJsonObject("broker").containsKey("aclEnable"), "off by default");
        assertTrue(ConfigOverrides.envNames().contains("TERN_ACL_FILE"), "the launcher reads it");
    }

    @Test
    void theLoggedConfigMasksSecrets() {
        JsonObject config = ConfigOverrides.apply(yaml().put("tern.broker.aclSecretKey", "very-secret-1"));
        assertEquals("very-secret-1", config.getJsonObject("broker").getString("aclSecretKey"));
        String logged = ConfigOverrides.withoutSecrets(config).encode();
        assertFalse(logged.contains("very-secret-1"), logged);
        assertTrue(logged.contains("\"aclSecretKey\":\"******\""), logged);
    }

    @Test
    void securityVariablesSetTlsOnBothRolesAndTheHttpApi() {
        JsonObject config = ConfigOverrides.apply(yaml()
                .put("TERN_TLS_MODE", "enforcing")
                .put("TERN_TLS_CERT", "/etc/tern/tls.crt")
                .put("TERN_TLS_KEY", "/etc/tern/tls.key")
                .put("TERN_HTTP_HOST", "0.0.0.0")
                .put("TERN_HTTP_TOKEN", "s3cret-token"));
        for (String role : new String[] {"nameserver", "broker"}) {
            JsonObject section = config.getJsonObject(role);
            assertEquals("enforcing", section.getString("tlsMode"), role);
            assertEquals("/etc/tern/tls.crt", section.getString("tlsCertFile"), role);
            assertEquals("/etc/tern/tls.key", section.getString("tlsKeyFile"), role);
        }
        BrokerConfig broker = BrokerConfig.fromJson(config.getJsonObject("broker"));
        assertEquals("0.0.0.0", broker.httpHost);
        assertEquals("s3cret-token", broker.httpTokens);
        assertEquals(io.tern.remoting.security.TlsMode.ENFORCING, broker.tlsSettings().mode());
        assertEquals("enforcing", io.tern.nameserver.NameServerConfig.fromJson(config.getJsonObject("nameserver"))
                .tlsMode);
        String logged = ConfigOverrides.withoutSecrets(config).encode();
        assertFalse(logged.contains("s3cret-token"), logged);
        assertEquals("s3cret-token", config.getJsonObject("broker").getString("httpTokens"), "only the copy is masked");
    }
}

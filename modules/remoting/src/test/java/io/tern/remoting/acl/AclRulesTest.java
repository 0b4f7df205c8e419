package io.tern.remoting.acl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class AclRulesTest {

    @Test
    void readsRocketMqsPlainAclShape() {
        AclRules rules = AclRules.parse(AclGateTest.RULES);
        assertEquals(4, rules.accountCount());
        AclAccount producer = rules.account("producer1");
        assertEquals("12345678", producer.secretKey(), "a numeric YAML scalar is used as its text");
        assertFalse(producer.admin());
        assertEquals(Permission.DENY, producer.defaultTopicPerm());
        assertEquals(Permission.SUB, producer.defaultGroupPerm());
        assertEquals((byte) (Permission.PUB | Permission.SUB), producer.topicPerms().get("audit"));
        assertEquals((Byte) Permission.DENY, producer.groupPerms().get("blocked"));
        assertEquals("admin001", rules.firstAdmin().accessKey());
        assertTrue(rules.globallyWhitelisted("10.10.103.250"));
        assertFalse(rules.globallyWhitelisted("10.10.104.1"));
        assertNull(rules.account("nobody01"));
    }

    @Test
    void anEmptyFileHasNoAccounts() {
        assertEquals(0, AclRules.parse("").accountCount());
        assertNull(AclRules.parse("accounts: []").firstAdmin());
    }

    @Test
    void unusableFilesAreErrorsThatNeverShowASecret() {
        String shortSecret = "accounts:\n  - accessKey: someuser\n    secretKey: tiny\n";
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> AclRules.parse(shortSecret));
        assertFalse(e.getMessage().contains("tiny"));
        assertThrows(IllegalArgumentException.class, () -> AclRules.parse(
                "accounts:\n  - {accessKey: sameuser, secretKey: 12345678}\n  - {accessKey: sameuser, secretKey: 87654321}"));
        assertThrows(IllegalArgumentException.class, () -> AclRules.parse(
                "accounts:\n  - {accessKey: someuser, secretKey: 12345678, topicPerms: [justaname]}"));
        assertThrows(IllegalArgumentException.class, () -> AclRules.parse(
                "accounts:\n  - {accessKey: someuser, secretKey: 12345678, whiteRemoteAddress: 10.0.1}"));
        assertThrows(IllegalArgumentException.class, () -> AclRules.parse("accounts: {not: a list}"));
        assertThrows(IllegalArgumentException.class, () -> AclRules.parse("accounts: [\n"));
        assertFalse(AclRules.parse(AclGateTest.RULES).account("producer1").toString().contains("12345678"));
    }

    @Test
    void permissionStrings() {
        assertEquals((byte) (Permission.PUB | Permission.SUB), Permission.parse("SUB|PUB"));
        assertEquals(Permission.DENY, Permission.parse("PUB | SUB"), "as RocketMQ: anything else is DENY");
        assertEquals(Permission.DENY, Permission.parse(null));
        assertTrue(Permission.grants(Permission.SUB, Permission.ANY));
        assertFalse(Permission.grants((byte) (Permission.DENY | Permission.PUB), Permission.PUB));
        assertFalse(Permission.grants(Permission.PUB, Permission.SUB));
    }
}

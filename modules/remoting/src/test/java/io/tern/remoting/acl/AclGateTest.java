package io.tern.remoting.acl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tern.remoting.LocalChannel;
import io.tern.remoting.ProcessorTable;
import io.tern.remoting.protocol.RemotingCommand;
import io.tern.remoting.protocol.ResponseCode;
import io.vertx.core.Vertx;
import io.vertx.core.net.SocketAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The permission rules of the plain ACL, request by request, against one file of accounts. */
class AclGateTest {
    static final String RULES = """
            globalWhiteRemoteAddresses:
              - 10.10.103.*
            accounts:
              - accessKey: producer1
                secretKey: 12345678
                defaultTopicPerm: DENY
                defaultGroupPerm: SUB
                topicPerms:
                  - orders=PUB
                  - audit=PUB|SUB
                  - secret=DENY
                groupPerms:
                  - blocked=DENY
              - accessKey: consumer1
                secretKey: abcdefgh
                whiteRemoteAddress: 192.168.1.*
                defaultTopicPerm: SUB
                defaultGroupPerm: SUB
              - accessKey: admin001
                secretKey: adminsecret
                admin: true
              - accessKey: admin002
                secretKey: adminsecret
                admin: true
                defaultTopicPerm: SUB
                defaultGroupPerm: SUB
                topicPerms:
                  - orders=DENY
            """;
    static final int SEND = 310;
    static final int PULL = 11;
    static final int CREATE_TOPIC = 17;
    static final String IP = "127.0.0.1";
    private static Vertx vertx;

    @BeforeAll
    static void startVertx() {
        vertx = Vertx.vertx();
    }

    @AfterAll
    static void closeVertx() {
        vertx.close().await();
    }

    private final AclGate gate = new AclGate(new AccessTable()
            .resolve(SEND, req -> AccessNeeds.none().topic(req.ext("b"), Permission.PUB))
            .resolve(PULL, req -> AccessNeeds.none().topic(req.ext("topic"), Permission.SUB)
                    .group(req.ext("consumerGroup"), Permission.SUB))
            .admin(CREATE_TOPIC), AclRules.parse(RULES));

    private static RemotingCommand send(String topic) {
        return RemotingCommand.request(SEND).put("a", "PG").put("b", topic).body("payload".getBytes());
    }

    private static RemotingCommand pull(String topic, String group) {
        return RemotingCommand.request(PULL).put("topic", topic).put("consumerGroup", group);
    }

    private static RemotingCommand signed(String key, String secret, RemotingCommand request) {
        return new AclCredentials(key, secret).sign(request);
    }

    @Test
    void rightKeyAndPermissionPass() {
        assertNull(gate.check(IP, signed("producer1", "12345678", send("orders"))));
        assertNull(gate.check(IP, signed("producer1", "12345678", send("audit"))));
        assertNull(gate.check(IP, signed("producer1", "12345678", pull("audit", "anyGroup"))));
    }

    @Test
    void unsignedUnknownAndWronglySignedRequestsAreRefused() {
        assertTrue(gate.check(IP, send("orders")).contains("not signed"));
        assertTrue(gate.check(IP, signed("nobody01", "12345678", send("orders"))).contains("no account"));
        assertTrue(gate.check(IP, signed("producer1", "87654321", send("orders"))).contains("signature check failed"));
        RemotingCommand noSignature = send("orders").put(AclSignature.ACCESS_KEY, "producer1");
        assertTrue(gate.check(IP, noSignature).contains("carries no Signature"));
    }

    @Test
    void aTamperedBodyOrFieldFailsTheSignature() {
        RemotingCommand body = signed("producer1", "12345678", send("orders")).body("payloaD".getBytes());
        assertTrue(gate.check(IP, body).contains("signature check failed"));
        RemotingCommand field = signed("producer1", "12345678", send("orders")).put("b", "audit");
        assertTrue(gate.check(IP, field).contains("signature check failed"));
    }

    @Test
    void topicAndGroupPermissionsAndDefaults() {
        String denied = gate.check(IP, signed("producer1", "12345678", send("secret")));
        assertEquals("accessKey producer1 has no PUB permission on topic:secret (it holds DENY)", denied);
        assertTrue(gate.check(IP, signed("producer1", "12345678", send("other"))).contains("topic:other"),
                "defaultTopicPerm DENY");
        assertTrue(gate.check(IP, signed("producer1", "12345678", pull("orders", "g1"))).contains("SUB"),
                "PUB does not grant SUB");
        assertTrue(gate.check(IP, signed("producer1", "12345678", pull("audit", "blocked")))
                .contains("group:blocked"));
        assertTrue(gate.check(IP, signed("producer1", "12345678", send("%RETRY%blocked"))).contains("group:blocked"),
                "a retry topic is its group");
    }

    @Test
    void adminRequestsNeedAnAdminAccount() {
        String refused = gate.check(IP, signed("producer1", "12345678", RemotingCommand.request(CREATE_TOPIC)));
        assertEquals("request code 17 needs an admin account; accessKey producer1 is not one", refused);
        assertNull(gate.check(IP, signed("admin001", "adminsecret", RemotingCommand.request(CREATE_TOPIC))));
    }

    @Test
    void anAdminWithoutTopicOrGroupEntriesMayUseAllButOneWithEntriesIsHeldToThem() {
        assertNull(gate.check(IP, signed("admin001", "adminsecret", send("anything"))));
        assertNull(gate.check(IP, signed("admin002", "adminsecret", pull("anything", "g"))));
        assertNotNull(gate.check(IP, signed("admin002", "adminsecret", send("orders"))));
    }

    @Test
    void whitelistsSkipTheCheck() {
        assertNull(gate.check("10.10.103.7", send("secret")), "global whitelist: no key needed");
        RemotingCommand unsignedWithKey = send("secret").put(AclSignature.ACCESS_KEY, "consumer1");
        assertNull(gate.check("192.168.1.20", unsignedWithKey), "the account's own whitelist");
        assertNotNull(gate.check("192.168.2.20", unsignedWithKey));
    }

    @Test
    void theTraceTopicIsOpenToEverySignedAccount() {
        assertNull(gate.check(IP, signed("producer1", "12345678", send("RMQ_SYS_TRACE_TOPIC"))));
    }

    @Test
    void aQueryByUniqueKeyIsAcceptedWithOrWithoutTheFlagInTheSignature() {
        RemotingCommand signedWith = signed("producer1", "12345678",
                RemotingCommand.request(12).put("topic", "audit").put(AclSignature.UNIQUE_KEY_QUERY, "true"));
        assertNull(gate.check(IP, signedWith));
        RemotingCommand flagAddedAfter = signed("producer1", "12345678", RemotingCommand.request(12)
                .put("topic", "audit")).put(AclSignature.UNIQUE_KEY_QUERY, "false");
        assertNull(gate.check(IP, flagAddedAfter));
    }

    @Test
    void refusalsAnswerNoPermissionWithoutSecrets() {
        RemotingCommand refusal = gate.refusal(peerAt("127.0.0.1"), signed("producer1", "wrongsecret",
                send("orders")).opaque(7));
        assertEquals(ResponseCode.NO_PERMISSION, refusal.code());
        assertEquals(7, refusal.opaque());
        assertFalse(refusal.remark().contains("wrongsecret"));
        assertFalse(refusal.remark().contains("12345678"));
        assertTrue(refusal.remark().startsWith("ACL: "));
        assertNull(gate.refusal(peerAt("10.10.103.1"), send("orders")), "the peer's address is the channel's");
    }

    @Test
    void aMalformedBodyIsRefusedNotThrown() {
        AclGate strict = new AclGate(new AccessTable().resolve(SEND, req -> {
            throw new IllegalArgumentException("malformed body");
        }), AclRules.parse(RULES));
        RemotingCommand refusal = strict.refusal(peerAt(IP), signed("producer1", "12345678", send("orders")));
        assertEquals(ResponseCode.NO_PERMISSION, refusal.code());
        assertTrue(refusal.remark().contains("malformed body"));
    }

    @Test
    void reloadPutsNewRulesInForceAndKeepsTheOldOnesOnABadFile(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("acl.yaml");
        Files.writeString(file, RULES);
        AclFile acl = AclFile.openBlocking(file, new AccessTable());
        assertFalse(acl.reloadIfChanged(), "unchanged");
        Files.writeString(file, RULES.replace("secretKey: 12345678", "secretKey: 99999999"));
        assertTrue(acl.reloadIfChanged());
        assertNull(acl.gate().check(IP, signed("producer1", "99999999", RemotingCommand.request(1))));
        Files.writeString(file, "accounts: [ {accessKey: short, secretKey: x} ]");
        assertFalse(acl.reloadIfChanged());
        assertNull(acl.gate().check(IP, signed("producer1", "99999999", RemotingCommand.request(1))));
        Files.delete(file);
        assertFalse(acl.reloadIfChanged());
        assertThrows(IllegalStateException.class, () -> AclFile.openBlocking(file, new AccessTable()));
    }

    /** An in-process channel whose peer has the address {@code ip}. */
    private static LocalChannel peerAt(String ip) {
        return new LocalChannel(vertx, vertx.getOrCreateContext(), new ProcessorTable(),
                SocketAddress.inetSocketAddress(new InetSocketAddress(ip, 4711)));
    }
}

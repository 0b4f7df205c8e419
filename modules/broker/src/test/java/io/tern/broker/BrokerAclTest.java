package io.tern.broker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tern.remoting.ProcessorTable;
import io.tern.remoting.RemotingClient;
import io.tern.remoting.acl.AclCredentials;
import io.tern.remoting.acl.AclSignature;
import io.tern.remoting.protocol.RemotingCommand;
import io.tern.remoting.protocol.RequestCode;
import io.tern.remoting.protocol.ResponseCode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The broker's side of the ACL: its request table over TCP, and the signature on its own registration. */
class BrokerAclTest {
    static final String RULES = """
            accounts:
              - accessKey: broker-admin
                secretKey: broker-secret
                admin: true
              - accessKey: app-user1
                secretKey: app-secret-1
                defaultTopicPerm: DENY
                defaultGroupPerm: DENY
                topicPerms: [Orders=PUB|SUB]
                groupPerms: [OrderGroup=SUB, Blocked=DENY]
            """;

    @TempDir
    Path dir;

    private BrokerHarness brokerWithAcl(FakeNameServer ns, String accessKey, String secretKey) throws Exception {
        Path acl = Files.writeString(dir.resolve("acl.yaml"), RULES);
        return new BrokerHarness(dir.resolve("store"), c -> {
            c.aclEnable = true;
            c.aclFile = acl.toString();
            c.aclAccessKey = accessKey;
            c.aclSecretKey = secretKey;
        }, ns);
    }

    private static RemotingCommand call(BrokerHarness h, AclCredentials credentials, RemotingCommand request)
            throws Exception {
        RemotingClient client = new RemotingClient(h.vertx, new ProcessorTable(), credentials);
        try {
            return h.call(client, request);
        } finally {
            client.close().await(BrokerHarness.TIMEOUT_S, TimeUnit.SECONDS);
        }
    }

    @Test
    void requestsAreCheckedByTheTableOfTheBroker() throws Exception {
        AclCredentials user = new AclCredentials("app-user1", "app-secret-1");
        try (BrokerHarness h = brokerWithAcl(new FakeNameServer(), "", "")) {
            RemotingCommand unsigned = h.call(RemotingCommand.request(RequestCode.GET_BROKER_RUNTIME_INFO));
            assertEquals(ResponseCode.NO_PERMISSION, unsigned.code());

            assertEquals(ResponseCode.SUCCESS, call(h, user, BrokerHarness.sendV2("Orders", 0, "hi", Map.of())).code());
            RemotingCommand other = call(h, user, BrokerHarness.sendV2("Others", 0, "hi", Map.of()));
            assertEquals(ResponseCode.NO_PERMISSION, other.code());
            assertTrue(other.remark().contains("topic:Others"), other.remark());

            RemotingCommand heartbeat = call(h, user, RemotingCommand.request(RequestCode.HEART_BEAT).body(
                    BrokerHarness.heartbeatBody("10.0.0.9@c", "Blocked", "Orders").getBytes(StandardCharsets.UTF_8)));
            assertEquals(ResponseCode.NO_PERMISSION, heartbeat.code(), "groups are read from the heartbeat body");
            assertTrue(heartbeat.remark().contains("group:Blocked"), heartbeat.remark());
            assertEquals(ResponseCode.SUCCESS, call(h, user, RemotingCommand.request(RequestCode.HEART_BEAT).body(
                    BrokerHarness.heartbeatBody("10.0.0.9@c", "OrderGroup", "Orders")
                            .getBytes(StandardCharsets.UTF_8))).code());

            RemotingCommand pop = call(h, user, RemotingCommand.request(RequestCode.POP_MESSAGE)
                    .put("consumerGroup", "Blocked").put("topic", "Orders").put("queueId", -1).put("maxMsgNums", 1)
                    .put("invisibleTime", 60_000).put("pollTime", 0).put("bornTime", System.currentTimeMillis())
                    .put("initMode", 0));
            assertEquals(ResponseCode.NO_PERMISSION, pop.code(), "5.x pop: SUB on the group");
            assertTrue(pop.remark().contains("group:Blocked"), pop.remark());

            RemotingCommand create = RemotingCommand.request(RequestCode.UPDATE_AND_CREATE_TOPIC).put("topic", "New")
                    .put("readQueueNums", 1).put("writeQueueNums", 1).put("perm", 6);
            assertEquals(ResponseCode.NO_PERMISSION, call(h, user, create).code());
            AclCredentials admin = new AclCredentials("broker-admin", "broker-secret");
            assertEquals(ResponseCode.SUCCESS, call(h, admin, create).code());
        }
    }

    @Test
    void withoutKeysOfItsOwnTheBrokerSignsWithTheFirstAdminOfItsFile() throws Exception {
        FakeNameServer ns = new FakeNameServer();
        try (BrokerHarness h = brokerWithAcl(ns, "", "")) {
            Map<String, String> header = ns.last().header();
            assertEquals("broker-admin", header.get(AclSignature.ACCESS_KEY));
            assertNotNull(header.get(AclSignature.SIGNATURE));
            assertNotNull(h.broker.processors.gate());
        }
    }

    @Test
    void explicitKeysAreUsedAndTheirSecretIsNeverShown() throws Exception {
        FakeNameServer ns = new FakeNameServer();
        try (BrokerHarness h = brokerWithAcl(ns, "broker-admin", "broker-secret")) {
            assertEquals("broker-admin", ns.last().header().get(AclSignature.ACCESS_KEY));
            RemotingCommand config = call(h, new AclCredentials("broker-admin", "broker-secret"),
                    RemotingCommand.request(RequestCode.GET_BROKER_CONFIG));
            String body = new String(config.bodyBytes(), StandardCharsets.UTF_8);
            assertTrue(body.contains("aclAccessKey=broker-admin"), body);
            assertTrue(body.contains("aclSecretKey=******"), body);
            assertFalse(body.contains("broker-secret"), body);
        }
    }

    @Test
    void withTheAclOffNothingIsCheckedOrSigned() throws Exception {
        FakeNameServer ns = new FakeNameServer();
        try (BrokerHarness h = new BrokerHarness(dir.resolve("store"), c -> { }, ns)) {
            assertNull(h.broker.processors.gate(), "no gate: the dispatch path reads one null field");
            assertNull(ns.last().header().get(AclSignature.ACCESS_KEY));
            assertEquals(ResponseCode.SUCCESS, h.call(BrokerHarness.sendV2("Anything", 0, "hi", Map.of())).code());
        }
    }
}

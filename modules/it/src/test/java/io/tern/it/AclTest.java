package io.tern.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.rocketmq.acl.common.AclClientRPCHook;
import org.apache.rocketmq.acl.common.SessionCredentials;
import org.apache.rocketmq.client.consumer.DefaultMQPushConsumer;
import org.apache.rocketmq.client.exception.MQBrokerException;
import org.apache.rocketmq.client.exception.MQClientException;
import org.apache.rocketmq.client.impl.CommunicationMode;
import org.apache.rocketmq.client.impl.MQClientAPIImpl;
import org.apache.rocketmq.client.producer.DefaultMQProducer;
import org.apache.rocketmq.client.producer.SendResult;
import org.apache.rocketmq.client.producer.SendStatus;
import org.apache.rocketmq.common.TopicConfig;
import org.apache.rocketmq.common.message.Message;
import org.apache.rocketmq.common.message.MessageDecoder;
import org.apache.rocketmq.common.protocol.ResponseCode;
import org.apache.rocketmq.common.protocol.header.PullMessageRequestHeader;
import org.apache.rocketmq.common.protocol.header.SendMessageRequestHeader;
import org.apache.rocketmq.common.protocol.route.TopicRouteData;
import org.apache.rocketmq.remoting.RPCHook;
import org.apache.rocketmq.remoting.protocol.RemotingCommand;
import org.apache.rocketmq.tools.admin.DefaultMQAdminExt;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The plain ACL against the official 4.9.8 client with {@code AclClientRPCHook}: a nameserver and a broker as
 * separate processes, both switched on by {@code TERN_ACL_FILE}; the broker signs its registration over TCP with the
 * first admin account of the file. Refusals are read through the client's own {@link MQClientAPIImpl} calls, which
 * surface the response code and remark.
 */
class AclTest {
    static final String ADMIN_KEY = "tern-admin";
    static final String ADMIN_SECRET = "admin-secret-1";
    static final String USER_KEY = "app-user1";
    static final String USER_SECRET = "app-secret-1";
    static final String TOPIC = "AclOrders";
    static final String DENIED_TOPIC = "AclDenied";
    static final String GROUP = "AclGroup";
    static final String DENIED_GROUP = "AclBlocked";
    static final String RULES = """
            accounts:
              - accessKey: tern-admin
                secretKey: admin-secret-1
                admin: true
              - accessKey: app-user1
                secretKey: app-secret-1
                defaultTopicPerm: DENY
                defaultGroupPerm: DENY
                topicPerms:
                  - AclOrders=PUB|SUB
                  - AclDenied=DENY
                groupPerms:
                  - AclGroup=SUB
                  - AclBlocked=DENY
            """;

    @TempDir
    static Path dir;
    static Path aclFile;
    static TernProcess nameServer;
    static TernProcess broker;
    static String namesrvAddr;
    static String brokerAddr;

    @BeforeAll
    static void start() throws Exception {
        aclFile = dir.resolve("acl.yaml");
        Files.writeString(aclFile, RULES);
        int nameServerPort = TernProcess.freePort();
        int brokerPort = TernProcess.freePort();
        namesrvAddr = "127.0.0.1:" + nameServerPort;
        brokerAddr = "127.0.0.1:" + brokerPort;
        String java = TernProcess.javaBinary().toString();
        String jar = TernProcess.serverJar().toString();
        nameServer = TernProcess.start("nameserver", List.of(java, "-Xmx256m",
                "-Dtern.nameserver.kvConfigPath=" + dir.resolve("kvConfig.json"),
                "-Dtern.nameserver.aclReloadIntervalMs=200", "-jar", jar, "nameserver"), dir, Map.of(
                "TERN_NAMESERVER_PORT", Integer.toString(nameServerPort),
                "TERN_ACL_FILE", aclFile.toString()));
        nameServer.awaitLine(TernProcess.readyMarker("nameserver"), 120_000);
        broker = TernProcess.start("broker", List.of(java, "-Xmx512m",
                "-Dtern.broker.store.commitLogSegmentBytes=67108864", "-Dtern.broker.aclReloadIntervalMs=200",
                "-jar", jar, "broker"), dir, Map.of(
                "TERN_BROKER_PORT", Integer.toString(brokerPort),
                "TERN_HTTP_PORT", "-1",
                "TERN_STORE_ROOT", dir.resolve("store").toString(),
                "TERN_NAMESERVER_ADDR", namesrvAddr,
                "TERN_ACL_FILE", aclFile.toString()));
        broker.awaitLine(TernProcess.readyMarker("broker"), 120_000);
        DefaultMQAdminExt admin = admin(ADMIN_KEY, ADMIN_SECRET);
        try {
            admin.start();
            for (String topic : new String[] {TOPIC, DENIED_TOPIC}) {
                admin.createAndUpdateTopicConfig(brokerAddr, new TopicConfig(topic, 4, 4, 6));
            }
        } finally {
            Clients.shutdown(admin);
        }
    }

    @AfterAll
    static void stop() throws Exception {
        if (broker != null) {
            broker.close();
        }
        if (nameServer != null) {
            nameServer.close();
        }
    }

    static RPCHook signer(String accessKey, String secretKey) {
        return new AclClientRPCHook(new SessionCredentials(accessKey, secretKey));
    }

    static DefaultMQAdminExt admin(String accessKey, String secretKey) {
        DefaultMQAdminExt admin = new DefaultMQAdminExt(signer(accessKey, secretKey), 10_000);
        admin.setNamesrvAddr(namesrvAddr);
        admin.setInstanceName(Clients.unique("admin"));
        return admin;
    }

    static DefaultMQProducer producer(RPCHook hook) {
        DefaultMQProducer producer = new DefaultMQProducer(Clients.unique("PG"), hook);
        producer.setNamesrvAddr(namesrvAddr);
        producer.setInstanceName(Clients.unique("producer"));
        producer.setSendMsgTimeout(10_000);
        return producer;
    }

    /** The started producer's own remoting API: every call goes through its RPC hook. */
    static MQClientAPIImpl api(DefaultMQProducer producer) {
        return producer.getDefaultMQProducerImpl().getmQClientFactory().getMQClientAPIImpl();
    }

    static SendResult sendDirect(DefaultMQProducer producer, String topic, String body) throws Exception {
        Message message = new Message(topic, body.getBytes(StandardCharsets.UTF_8));
        SendMessageRequestHeader header = new SendMessageRequestHeader();
        header.setProducerGroup(producer.getProducerGroup());
        header.setTopic(topic);
        header.setDefaultTopic("TBW102");
        header.setDefaultTopicQueueNums(4);
        header.setQueueId(0);
        header.setSysFlag(0);
        header.setBornTimestamp(System.currentTimeMillis());
        header.setFlag(0);
        header.setProperties(MessageDecoder.messageProperties2String(message.getProperties()));
        header.setReconsumeTimes(0);
        header.setUnitMode(false);
        header.setBatch(false);
        return api(producer).sendMessage(brokerAddr, "broker-a", message, header, 10_000, CommunicationMode.SYNC,
                null, null);
    }

    /** Sends through {@code hook}'s client and returns the broker's refusal. */
    static MQBrokerException refusedSend(RPCHook hook, String topic) throws Exception {
        DefaultMQProducer producer = producer(hook);
        try {
            producer.start();
            return assertThrows(MQBrokerException.class, () -> sendDirect(producer, topic, "refused"));
        } finally {
            Clients.shutdown(producer);
        }
    }

    @Test
    void theRightKeyProducesAndConsumes() throws Exception {
        DefaultMQProducer producer = producer(signer(USER_KEY, USER_SECRET));
        DefaultMQPushConsumer consumer = new DefaultMQPushConsumer(GROUP, signer(USER_KEY, USER_SECRET),
                new org.apache.rocketmq.client.consumer.rebalance.AllocateMessageQueueAveragely());
        consumer.setNamesrvAddr(namesrvAddr);
        consumer.setInstanceName(Clients.unique("consumer"));
        consumer.setConsumeFromWhere(org.apache.rocketmq.common.consumer.ConsumeFromWhere.CONSUME_FROM_FIRST_OFFSET);
        Received received = new Received();
        try {
            producer.start();
            Set<String> sent = GracefulRestartTest.send(producer, TOPIC, "acl", 10);
            consumer.subscribe(TOPIC, "*");
            consumer.registerMessageListener(received);
            consumer.start();
            Await.until("10 messages consumed with the right key", 60_000,
                    () -> GracefulRestartTest.keys(received).containsAll(sent), () -> "received " + received.count());
        } finally {
            Clients.shutdown(consumer, producer);
        }
    }

    @Test
    void aWrongSecretIsRefusedByBrokerAndNameserver() throws Exception {
        MQBrokerException refused = refusedSend(signer(USER_KEY, "not-the-secret"), TOPIC);
        assertEquals(ResponseCode.NO_PERMISSION, refused.getResponseCode());
        assertTrue(refused.getErrorMessage().contains("signature check failed for accessKey " + USER_KEY),
                refused.getErrorMessage());
        assertFalse(refused.getErrorMessage().contains("not-the-secret"));
        assertFalse(refused.getErrorMessage().contains(USER_SECRET));

        DefaultMQProducer producer = producer(signer(USER_KEY, "not-the-secret"));
        try {
            producer.start();
            MQClientException route = assertThrows(MQClientException.class,
                    () -> api(producer).getTopicRouteInfoFromNameServer(TOPIC, 10_000));
            assertEquals(ResponseCode.NO_PERMISSION, route.getResponseCode());
        } finally {
            Clients.shutdown(producer);
        }
    }

    @Test
    void anUnknownKeyIsRefused() throws Exception {
        MQBrokerException refused = refusedSend(signer("nobody-at-all", USER_SECRET), TOPIC);
        assertEquals(ResponseCode.NO_PERMISSION, refused.getResponseCode());
        assertTrue(refused.getErrorMessage().contains("no account for accessKey nobody-at-all"),
                refused.getErrorMessage());
    }

    @Test
    void aRequestWithoutSignatureIsRefused() throws Exception {
        RPCHook keyOnly = new RPCHook() {
            @Override
            public void doBeforeRequest(String remoteAddr, RemotingCommand request) {
                request.addExtField("AccessKey", USER_KEY);
            }

            @Override
            public void doAfterResponse(String remoteAddr, RemotingCommand request, RemotingCommand response) {
            }
        };
        MQBrokerException refused = refusedSend(keyOnly, TOPIC);
        assertEquals(ResponseCode.NO_PERMISSION, refused.getResponseCode());
        assertTrue(refused.getErrorMessage().contains("carries no Signature"), refused.getErrorMessage());

        MQBrokerException unsigned = refusedSend(null, TOPIC);
        assertEquals(ResponseCode.NO_PERMISSION, unsigned.getResponseCode());
        assertTrue(unsigned.getErrorMessage().contains("not signed"), unsigned.getErrorMessage());
    }

    @Test
    void aTamperedBodyFailsTheSignature() throws Exception {
        RPCHook signThenTamper = new RPCHook() {
            private final RPCHook signer = signer(USER_KEY, USER_SECRET);

            @Override
            public void doBeforeRequest(String remoteAddr, RemotingCommand request) {
                signer.doBeforeRequest(remoteAddr, request);
                byte[] body = request.getBody();
                if (body != null && body.length > 0) {
                    byte[] changed = body.clone();
                    changed[0] ^= 1;
                    request.setBody(changed);
                }
            }

            @Override
            public void doAfterResponse(String remoteAddr, RemotingCommand request, RemotingCommand response) {
            }
        };
        MQBrokerException refused = refusedSend(signThenTamper, TOPIC);
        assertEquals(ResponseCode.NO_PERMISSION, refused.getResponseCode());
        assertTrue(refused.getErrorMessage().contains("signature check failed"), refused.getErrorMessage());
    }

    @Test
    void aDeniedTopicIsRefused() throws Exception {
        MQBrokerException refused = refusedSend(signer(USER_KEY, USER_SECRET), DENIED_TOPIC);
        assertEquals(ResponseCode.NO_PERMISSION, refused.getResponseCode());
        assertTrue(refused.getErrorMessage().contains("no PUB permission on topic:" + DENIED_TOPIC),
                refused.getErrorMessage());
    }

    @Test
    void aDeniedGroupIsRefused() throws Exception {
        DefaultMQProducer client = producer(signer(USER_KEY, USER_SECRET));
        try {
            client.start();
            PullMessageRequestHeader header = new PullMessageRequestHeader();
            header.setConsumerGroup(DENIED_GROUP);
            header.setTopic(TOPIC);
            header.setQueueId(0);
            header.setQueueOffset(0L);
            header.setMaxMsgNums(32);
            header.setSysFlag(0);
            header.setCommitOffset(0L);
            header.setSuspendTimeoutMillis(0L);
            header.setSubscription("*");
            header.setSubVersion(0L);
            MQBrokerException refused = assertThrows(MQBrokerException.class,
                    () -> api(client).pullMessage(brokerAddr, header, 10_000, CommunicationMode.SYNC, null));
            assertEquals(ResponseCode.NO_PERMISSION, refused.getResponseCode());
            assertTrue(refused.getErrorMessage().contains("no SUB permission on group:" + DENIED_GROUP),
                    refused.getErrorMessage());
        } finally {
            Clients.shutdown(client);
        }
    }

    @Test
    void adminCallsNeedAnAdminAccount() throws Exception {
        DefaultMQAdminExt user = admin(USER_KEY, USER_SECRET);
        DefaultMQAdminExt admin = admin(ADMIN_KEY, ADMIN_SECRET);
        try {
            user.start();
            admin.start();
            assertFalse(user.examineBrokerClusterInfo().getBrokerAddrTable().isEmpty(),
                    "reads are open to every signed account; the broker registered with its signature");
            MQClientException topic = assertThrows(MQClientException.class,
                    () -> user.createAndUpdateTopicConfig(brokerAddr, new TopicConfig("AclByUser", 4, 4, 6)));
            assertEquals(ResponseCode.NO_PERMISSION, topic.getResponseCode());
            assertTrue(topic.getErrorMessage().contains("needs an admin account"), topic.getErrorMessage());
            MQClientException kv = assertThrows(MQClientException.class,
                    () -> user.createAndUpdateKvConfig("ACL_TEST", "k", "v"));
            assertEquals(ResponseCode.NO_PERMISSION, kv.getResponseCode(), "the nameserver checks too");

            admin.createAndUpdateTopicConfig(brokerAddr, new TopicConfig("AclByAdmin", 4, 4, 6));
            admin.createAndUpdateKvConfig("ACL_TEST", "k", "v");
            assertEquals("v", admin.getKVConfig("ACL_TEST", "k"));
        } finally {
            Clients.shutdown(user, admin);
        }
    }

    @Test
    void aChangedFileIsReloaded() throws Exception {
        String added = RULES + """
                  - accessKey: late-user1
                    secretKey: late-secret-1
                    defaultTopicPerm: PUB
                """;
        DefaultMQProducer late = producer(signer("late-user1", "late-secret-1"));
        try {
            late.start();
            assertEquals(ResponseCode.NO_PERMISSION,
                    assertThrows(MQBrokerException.class, () -> sendDirect(late, TOPIC, "early")).getResponseCode());
            Files.writeString(aclFile, added);
            Await.until("the broker and the nameserver accept the account added to the file", 30_000, () -> {
                try {
                    TopicRouteData route = api(late).getTopicRouteInfoFromNameServer(TOPIC, 10_000);
                    return route != null && sendDirect(late, TOPIC, "late").getSendStatus() == SendStatus.SEND_OK;
                } catch (MQClientException | MQBrokerException e) {
                    return false;
                } catch (Exception e) {
                    throw new AssertionError(e);
                }
            });
        } finally {
            Files.writeString(aclFile, RULES);
            Clients.shutdown(late);
        }
        DefaultMQProducer removed = producer(signer("late-user1", "late-secret-1"));
        try {
            removed.start();
            Await.until("the account is gone again once the file no longer has it", 30_000, () -> {
                try {
                    sendDirect(removed, TOPIC, "gone");
                    return false;
                } catch (MQBrokerException e) {
                    return e.getResponseCode() == ResponseCode.NO_PERMISSION;
                } catch (Exception e) {
                    throw new AssertionError(e);
                }
            });
        } finally {
            Clients.shutdown(removed);
        }
    }
}

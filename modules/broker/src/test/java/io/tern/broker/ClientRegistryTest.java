package io.tern.broker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tern.common.Json;
import io.tern.common.protocol.TopicConfig;
import io.tern.remoting.ProcessorTable;
import io.tern.remoting.RemotingClient;
import io.tern.remoting.protocol.RemotingCommand;
import io.tern.remoting.protocol.RequestCode;
import io.tern.remoting.protocol.ResponseCode;
import io.vertx.core.Future;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClientRegistryTest {
    @TempDir
    Path dir;
    BrokerHarness h;

    @BeforeEach
    void start() throws Exception {
        h = new BrokerHarness(dir);
    }

    @AfterEach
    void stop() throws Exception {
        h.close();
    }

    /** A consumer connection that records the NOTIFY_CONSUMER_IDS_CHANGED it receives. */
    private RemotingClient consumer(BlockingQueue<RemotingCommand> notifications) {
        ProcessorTable table = new ProcessorTable().register(RequestCode.NOTIFY_CONSUMER_IDS_CHANGED, (c, req) -> {
            notifications.add(req);
            return Future.succeededFuture();
        });
        return new RemotingClient(h.vertx, table);
    }

    private static RemotingCommand heartbeat(String clientId, String group, String topic) {
        return RemotingCommand.request(RequestCode.HEART_BEAT)
                .body(BrokerHarness.heartbeatBody(clientId, group, topic).getBytes(StandardCharsets.UTF_8));
    }

    private List<String> consumerList(String group) throws Exception {
        RemotingCommand r = h.call(RemotingCommand.request(RequestCode.GET_CONSUMER_LIST_BY_GROUP)
                .put("consumerGroup", group));
        if (r.code() != ResponseCode.SUCCESS) {
            return List.of();
        }
        @SuppressWarnings("unchecked")
        List<String> ids = (List<String>) Json.fromBytes(r.bodyBytes(), Map.class).get("consumerIdList");
        return ids;
    }

    @Test
    void heartbeatCreatesRetryTopicAndNotifiesTheGroup() throws Exception {
        BlockingQueue<RemotingCommand> notifiedA = new LinkedBlockingQueue<>();
        BlockingQueue<RemotingCommand> notifiedB = new LinkedBlockingQueue<>();
        RemotingClient a = consumer(notifiedA);
        RemotingClient b = consumer(notifiedB);
        try {
            RemotingCommand ra = h.call(a, heartbeat("10.0.0.1@a", "CG", "TopicX"));
            assertEquals(ResponseCode.SUCCESS, ra.code());
            assertNull(ra.extFields(), "heartbeat response has no ext fields");
            assertEquals(407, ra.version());
            TopicConfig retry = h.broker.components().topics().get("%RETRY%CG");
            assertNotNull(retry, "%RETRY% topic created on heartbeat");
            assertEquals(1, retry.writeQueueNums);
            h.nameServer.awaitTopic("%RETRY%CG");
            RemotingCommand first = notifiedA.poll(5, TimeUnit.SECONDS);
            assertNotNull(first, "the joining consumer is notified too");
            assertEquals("CG", first.ext("consumerGroup"));
            assertTrue(first.isOneway());

            assertEquals(ResponseCode.SUCCESS, h.call(b, heartbeat("10.0.0.2@b", "CG", "TopicX")).code());
            RemotingCommand notify = notifiedA.poll(5, TimeUnit.SECONDS);
            assertNotNull(notify, "A is told that B joined");
            assertEquals("CG", notify.ext("consumerGroup"));
            assertEquals(List.of("10.0.0.1@a", "10.0.0.2@b"), consumerList("CG").stream().sorted().toList());

            // a repeated heartbeat changes nothing: no notification
            notifiedA.clear();
            h.call(b, heartbeat("10.0.0.2@b", "CG", "TopicX"));
            assertNull(notifiedA.poll(300, TimeUnit.MILLISECONDS));

            // B's connection closes: it leaves the group and A is told
            b.close().await(5, TimeUnit.SECONDS);
            assertNotNull(notifiedA.poll(5, TimeUnit.SECONDS), "A is told that B left");
            assertEquals(List.of("10.0.0.1@a"), consumerList("CG"));

            RemotingCommand unregister = RemotingCommand.request(RequestCode.UNREGISTER_CLIENT)
                    .put("clientID", "10.0.0.1@a").put("consumerGroup", "CG");
            assertEquals(ResponseCode.SUCCESS, h.call(a, unregister).code());
            RemotingCommand none = h.call(RemotingCommand.request(RequestCode.GET_CONSUMER_LIST_BY_GROUP)
                    .put("consumerGroup", "CG"));
            assertEquals(ResponseCode.SYSTEM_ERROR, none.code());
            assertTrue(none.remark().contains("no consumer for this group"));
        } finally {
            a.close().await(5, TimeUnit.SECONDS);
            b.close().await(5, TimeUnit.SECONDS);
        }
    }

    @Test
    void pullWithoutSubscriptionUsesHeartbeatTags() throws Exception {
        h.call(BrokerHarness.sendV2("TopicY", 0, "a", BrokerHarness.props("TAGS", "A")));
        h.call(BrokerHarness.sendV2("TopicY", 0, "b", BrokerHarness.props("TAGS", "B")));
        String hb = BrokerHarness.heartbeatBody("10.0.0.3@c", "CG2", "TopicY")
                .replace("\"codeSet\":[],\"expressionType\":\"TAG\",\"subString\":\"*\",\"subVersion\":1,\"tagsSet\":[],"
                        + "\"topic\":\"TopicY\"", "\"codeSet\":[" + "B".hashCode() + "],\"expressionType\":\"TAG\","
                        + "\"subString\":\"B\",\"subVersion\":1,\"tagsSet\":[\"B\"],\"topic\":\"TopicY\"");
        assertEquals(ResponseCode.SUCCESS, h.call(RemotingCommand.request(RequestCode.HEART_BEAT)
                .body(hb.getBytes(StandardCharsets.UTF_8))).code());
        RemotingCommand pulled = h.call(BrokerHarness.pull("CG2", "TopicY", 0, 0, null, 0));
        assertEquals(ResponseCode.SUCCESS, pulled.code(), pulled.remark());
        assertEquals(List.of("b"), StoredMessage.decodeAll(pulled.bodyBytes()).stream()
                .map(StoredMessage::bodyString).toList());
        // no heartbeat for this group: lenient fallback to "*"
        RemotingCommand lenient = h.call(BrokerHarness.pull("Unknown", "TopicY", 0, 0, null, 0));
        assertEquals(2, StoredMessage.decodeAll(lenient.bodyBytes()).size());
    }

    @Test
    void sql92IsRejectedClearlyWhenSwitchedOff() throws Exception {
        String body = "{\"clientId\":\"c\",\"group\":\"G\",\"subscriptionData\":{\"expressionType\":\"SQL92\","
                + "\"subString\":\"a > 1\",\"topic\":\"T\"}}";
        assertEquals(ResponseCode.SUCCESS, h.call(RemotingCommand.request(RequestCode.CHECK_CLIENT_CONFIG)
                .body(body.getBytes(StandardCharsets.UTF_8))).code(), "served by default");
        try (BrokerHarness off = new BrokerHarness(dir.resolve("sql-off"), c -> c.enablePropertyFilter = false)) {
            RemotingCommand r = off.call(RemotingCommand.request(RequestCode.CHECK_CLIENT_CONFIG)
                    .body(body.getBytes(StandardCharsets.UTF_8)));
            assertEquals(ResponseCode.SYSTEM_ERROR, r.code());
            assertTrue(r.remark().contains("does not support"));
        }
    }
}

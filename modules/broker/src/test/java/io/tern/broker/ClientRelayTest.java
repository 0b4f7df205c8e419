package io.tern.broker;

import static io.tern.broker.BrokerHarness.props;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tern.broker.relay.ResetOffsetProcessor.ResetOffsetBody;
import io.tern.common.Json;
import io.tern.common.protocol.MessageQueue;
import io.tern.remoting.ProcessorTable;
import io.tern.remoting.RemotingClient;
import io.tern.remoting.protocol.RemotingCommand;
import io.tern.remoting.protocol.RequestCode;
import io.tern.remoting.protocol.ResponseCode;
import io.vertx.core.Future;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Admin calls relayed to consumer clients (spec 3.5.4): 222 → 220, 223 → 221, 307 and 309, against a consumer
 * connection that answers like the 4.9 client.
 */
class ClientRelayTest {
    static final String CLIENT_ID = "10.0.0.9@relay";
    /** A GetConsumerStatusBody as fastjson writes it: MessageQueue objects as keys. */
    static final String FASTJSON_STATUS = "{\"messageQueueTable\":{{\"brokerName\":\"broker-a\",\"queueId\":0,"
            + "\"topic\":\"RT\"}:5}}";

    @TempDir
    Path dir;
    BrokerHarness h;
    RemotingClient consumer;
    final BlockingQueue<RemotingCommand> received = new LinkedBlockingQueue<>();

    @BeforeEach
    void start() throws Exception {
        h = new BrokerHarness(dir);
        ProcessorTable table = new ProcessorTable()
                .register(RequestCode.NOTIFY_CONSUMER_IDS_CHANGED, (c, req) -> Future.succeededFuture())
                .register(RequestCode.RESET_CONSUMER_CLIENT_OFFSET, (c, req) -> {
                    received.add(req);
                    return Future.succeededFuture();
                })
                .register(RequestCode.GET_CONSUMER_STATUS_FROM_CLIENT, (c, req) -> {
                    received.add(req);
                    return Future.succeededFuture(RemotingCommand.successTo(req)
                            .body(FASTJSON_STATUS.getBytes(StandardCharsets.UTF_8)));
                })
                .register(RequestCode.GET_CONSUMER_RUNNING_INFO, (c, req) -> {
                    received.add(req);
                    return Future.succeededFuture(RemotingCommand.successTo(req)
                            .body("{\"properties\":{\"PROP_CONSUME_TYPE\":\"CONSUME_PASSIVELY\"}}"
                                    .getBytes(StandardCharsets.UTF_8)));
                })
                .register(RequestCode.CONSUME_MESSAGE_DIRECTLY, (c, req) -> {
                    received.add(req);
                    return Future.succeededFuture(RemotingCommand.successTo(req)
                            .body("{\"consumeResult\":\"CR_SUCCESS\"}".getBytes(StandardCharsets.UTF_8)));
                });
        consumer = new RemotingClient(h.vertx, table);
        RemotingCommand hb = h.call(consumer, RemotingCommand.request(RequestCode.HEART_BEAT)
                .body(BrokerHarness.heartbeatBody(CLIENT_ID, "RG", "RT").getBytes(StandardCharsets.UTF_8)));
        assertEquals(ResponseCode.SUCCESS, hb.code());
    }

    @AfterEach
    void stop() throws Exception {
        consumer.close().await(10, TimeUnit.SECONDS);
        h.close();
    }

    static RemotingCommand resetOffset(String group, long timestamp, boolean force) {
        return RemotingCommand.request(RequestCode.INVOKE_BROKER_TO_RESET_OFFSET)
                .put("topic", "RT").put("group", group).put("timestamp", timestamp).put("isForce", force);
    }

    @Test
    void resetOffsetByTimeTellsEveryConsumerItsNewOffsets() throws Exception {
        for (int i = 0; i < 3; i++) {
            h.call(BrokerHarness.sendV2("RT", 0, "m" + i, props()));
        }
        int queues = h.broker.components().topics().get("RT").writeQueueNums;
        for (int q = 0; q < queues; q++) {
            h.broker.components().offsets().commit("RG", "RT", q, q == 0 ? 3 : 0);
        }
        RemotingCommand r = h.call(resetOffset("RG", 0, false));
        assertEquals(ResponseCode.SUCCESS, r.code(), r.remark());
        ResetOffsetBody body = Json.fromBytes(r.bodyBytes(), ResetOffsetBody.class);
        assertEquals(queues, body.offsetTable.size());
        assertEquals(0L, body.offsetTable.get(new MessageQueue("RT", "broker-a", 0)));
        assertEquals(0, h.broker.components().offsets().query("RG", "RT", 0), "committed by the broker too");

        RemotingCommand told = received.poll(5, TimeUnit.SECONDS);
        assertNotNull(told, "RESET_CONSUMER_CLIENT_OFFSET sent to the consumer");
        assertEquals(RequestCode.RESET_CONSUMER_CLIENT_OFFSET, told.code());
        assertTrue(told.isOneway());
        assertEquals("RT", told.ext("topic"));
        assertEquals("RG", told.ext("group"));
        assertEquals("0", told.ext("timestamp"));
        assertEquals("false", told.ext("isForce"));
        assertEquals(new String(r.bodyBytes(), StandardCharsets.UTF_8),
                new String(told.bodyBytes(), StandardCharsets.UTF_8));

        // to the end (-1) without force keeps the lower committed offsets
        h.broker.components().offsets().commit("RG", "RT", 0, 3);
        h.broker.components().offsets().commit("RG", "RT", 1, 0);
        ResetOffsetBody kept = Json.fromBytes(h.call(resetOffset("RG", -1, false)).bodyBytes(), ResetOffsetBody.class);
        assertEquals(3L, kept.offsetTable.get(new MessageQueue("RT", "broker-a", 0)));
        assertEquals(0L, kept.offsetTable.get(new MessageQueue("RT", "broker-a", 1)));
    }

    @Test
    void resetOffsetOfAnOfflineGroupIsCommittedByTheBroker() throws Exception {
        h.call(BrokerHarness.sendV2("RT", 0, "m", props()));
        int queues = h.broker.components().topics().get("RT").writeQueueNums;
        for (int q = 0; q < queues; q++) {
            h.broker.components().offsets().commit("OfflineGroup", "RT", q, q == 0 ? 1 : 0);
        }
        assertEquals(ResponseCode.SUCCESS, h.call(resetOffset("OfflineGroup", 0, true)).code());
        assertEquals(0, h.broker.components().offsets().query("OfflineGroup", "RT", 0));
        assertTrue(received.isEmpty(), "no consumer of OfflineGroup to tell");

        assertEquals(ResponseCode.SUBSCRIPTION_GROUP_NOT_EXIST, h.call(resetOffset("UnknownGroup", 0, true)).code());
        assertEquals(ResponseCode.TOPIC_NOT_EXIST, h.call(RemotingCommand.request(RequestCode
                .INVOKE_BROKER_TO_RESET_OFFSET).put("topic", "NoSuchTopic").put("group", "RG").put("timestamp", 0))
                .code());
    }

    @Test
    void resetOffsetOfAGroupThatNeverCommittedCommitsEveryQueue() throws Exception {
        for (int i = 0; i < 3; i++) {
            h.call(BrokerHarness.sendV2("RT", 0, "m" + i, props()));
        }
        h.broker.components().groups().findOrCreate("NeverCommitted");
        RemotingCommand r = h.call(resetOffset("NeverCommitted", 0, false));
        assertEquals(ResponseCode.SUCCESS, r.code(), r.remark());
        int queues = h.broker.components().topics().get("RT").writeQueueNums;
        for (int q = 0; q < queues; q++) {
            assertEquals(0, h.broker.components().offsets().query("NeverCommitted", "RT", q));
        }
        // to the end: queue 0 after its three messages
        h.call(resetOffset("NeverCommitted", -1, true));
        assertEquals(3, h.broker.components().offsets().query("NeverCommitted", "RT", 0));
    }

    @Test
    void resetOffsetOfOneQueueToAnExplicitOffset() throws Exception {
        for (int i = 0; i < 3; i++) {
            h.call(BrokerHarness.sendV2("RT", 0, "m" + i, props()));
        }
        RemotingCommand r = h.call(resetOffset("RG", -1, true).put("queueId", 0).put("offset", 2));
        assertEquals(ResponseCode.SUCCESS, r.code(), r.remark());
        ResetOffsetBody body = Json.fromBytes(r.bodyBytes(), ResetOffsetBody.class);
        assertEquals(1, body.offsetTable.size());
        assertEquals(2, h.broker.components().offsets().query("RG", "RT", 0));
        RemotingCommand outOfRange = h.call(resetOffset("RG", -1, true).put("queueId", 0).put("offset", 9));
        assertEquals(ResponseCode.SYSTEM_ERROR, outOfRange.code());
        assertTrue(outOfRange.remark().contains("[0-3]"), outOfRange.remark());
    }

    @Test
    void runningInfoIsRelayedToTheNamedClient() throws Exception {
        RemotingCommand r = h.call(RemotingCommand.request(RequestCode.GET_CONSUMER_RUNNING_INFO)
                .put("consumerGroup", "RG").put("clientId", CLIENT_ID).put("jstackEnable", true));
        assertEquals(ResponseCode.SUCCESS, r.code(), r.remark());
        assertEquals("{\"properties\":{\"PROP_CONSUME_TYPE\":\"CONSUME_PASSIVELY\"}}",
                new String(r.bodyBytes(), StandardCharsets.UTF_8));
        RemotingCommand forwarded = received.poll(5, TimeUnit.SECONDS);
        assertEquals(CLIENT_ID, forwarded.ext("clientId"));
        assertEquals("true", forwarded.ext("jstackEnable"));

        RemotingCommand offline = h.call(RemotingCommand.request(RequestCode.GET_CONSUMER_RUNNING_INFO)
                .put("consumerGroup", "RG").put("clientId", "10.0.0.1@gone"));
        assertEquals(ResponseCode.SYSTEM_ERROR, offline.code());
        assertTrue(offline.remark().contains("not online"), offline.remark());
    }

    @Test
    void consumeMessageDirectlyForwardsTheStoredMessage() throws Exception {
        RemotingCommand sent = h.call(BrokerHarness.sendV2("RT", 0, "direct", props("UNIQ_KEY", "D1")));
        RemotingCommand r = h.call(RemotingCommand.request(RequestCode.CONSUME_MESSAGE_DIRECTLY)
                .put("consumerGroup", "RG").put("clientId", CLIENT_ID).put("msgId", sent.ext("msgId")));
        assertEquals(ResponseCode.SUCCESS, r.code(), r.remark());
        assertEquals("{\"consumeResult\":\"CR_SUCCESS\"}", new String(r.bodyBytes(), StandardCharsets.UTF_8));
        RemotingCommand forwarded = received.poll(5, TimeUnit.SECONDS);
        assertEquals("broker-a", forwarded.ext("brokerName"));
        assertEquals(sent.ext("msgId"), forwarded.ext("msgId"));
        List<StoredMessage> body = StoredMessage.decodeAll(forwarded.bodyBytes());
        assertEquals(1, body.size());
        assertEquals("direct", body.get(0).bodyString());
    }

    @Test
    void consumerStatusSplicesEachClientsTable() throws Exception {
        RemotingCommand r = h.call(RemotingCommand.request(RequestCode.INVOKE_BROKER_TO_GET_CONSUMER_STATUS)
                .put("topic", "RT").put("group", "RG"));
        assertEquals(ResponseCode.SUCCESS, r.code(), r.remark());
        assertEquals("{\"consumerTable\":{\"" + CLIENT_ID + "\":{{\"brokerName\":\"broker-a\",\"queueId\":0,"
                + "\"topic\":\"RT\"}:5}},\"messageQueueTable\":{}}", new String(r.bodyBytes(), StandardCharsets.UTF_8));
        RemotingCommand asked = received.poll(5, TimeUnit.SECONDS);
        assertEquals("RT", asked.ext("topic"));
        assertEquals("RG", asked.ext("group"));
    }
}

package io.tern.broker;

import static io.tern.broker.BrokerHarness.props;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tern.common.protocol.PermName;
import io.tern.remoting.LocalChannel;
import io.tern.remoting.protocol.RemotingCommand;
import io.tern.remoting.protocol.RequestCode;
import io.tern.remoting.protocol.ResponseCode;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The broker's real processors called in-process through {@link LocalChannel}s: the broker is opened (store,
 * registries, processor table) but never served, so no port is bound and no socket is opened.
 */
class InProcessBrokerTest {
    static final int TIMEOUT_S = 10;

    @TempDir
    Path dir;
    Vertx vertx;
    Broker broker;

    @BeforeEach
    void open() throws Exception {
        vertx = Vertx.vertx();
        BrokerConfig config = new BrokerConfig();
        config.store.storeRoot = dir.toString();
        config.store.commitLogSegmentBytes = 4 * 1024 * 1024;
        config.store.consumeQueueEntriesPerFile = 10_000;
        config.store.warmMappedFile = false;
        config.store.maxHashSlotNum = 1000;
        config.store.maxIndexNum = 4000;
        broker = Broker.open(vertx, config, StoreFactory.DEFAULT).await(TIMEOUT_S, TimeUnit.SECONDS);
    }

    @AfterEach
    void close() throws Exception {
        try {
            broker.stop().await(TIMEOUT_S, TimeUnit.SECONDS);
        } finally {
            vertx.close().await(TIMEOUT_S, TimeUnit.SECONDS);
        }
    }

    static RemotingCommand call(LocalChannel channel, RemotingCommand request) throws Exception {
        return channel.call(request).await(TIMEOUT_S, TimeUnit.SECONDS);
    }

    static RemotingCommand createTopic(String topic) {
        return RemotingCommand.request(RequestCode.UPDATE_AND_CREATE_TOPIC).put("topic", topic)
                .put("readQueueNums", 2).put("writeQueueNums", 2).put("perm", PermName.PERM_READ | PermName.PERM_WRITE);
    }

    @Test
    void topicAdminSendAndPullRunWithoutASocket() throws Exception {
        LocalChannel admin = broker.localChannel();
        RemotingCommand created = call(admin, createTopic("LT"));
        assertEquals(ResponseCode.SUCCESS, created.code(), created.remark());
        assertTrue(created.isResponse());
        assertEquals(2, broker.components().topics().get("LT").writeQueueNums);

        LocalChannel producer = broker.localChannel();
        RemotingCommand sent = call(producer, BrokerHarness.sendV2("LT", 1, "in-process",
                props("UNIQ_KEY", "L1", "TAGS", "TagA")));
        assertEquals(ResponseCode.SUCCESS, sent.code(), sent.remark());
        assertEquals("1", sent.ext("queueId"));
        assertEquals("0", sent.ext("queueOffset"));

        LocalChannel consumer = broker.localChannel();
        RemotingCommand pulled = call(consumer, BrokerHarness.pull("LG", "LT", 1, 0, "*", 0));
        assertEquals(ResponseCode.SUCCESS, pulled.code(), pulled.remark());
        List<StoredMessage> messages = StoredMessage.decodeAll(pulled.bodyBytes());
        assertEquals(1, messages.size());
        StoredMessage m = messages.get(0);
        assertEquals("LT", m.topic());
        assertEquals("in-process", new String(m.body(), StandardCharsets.UTF_8));
        assertEquals("L1", m.properties().get("UNIQ_KEY"));
        assertArrayEquals(new byte[] {127, 0, 0, 1}, m.bornHost(), "the local channel's peer address is the born host");

        assertNull(broker.address(), "never bound");
        assertEquals(0, broker.port());
    }

    @Test
    void aParkedPullIsAnsweredWhenASendArrives() throws Exception {
        LocalChannel admin = broker.localChannel();
        assertEquals(ResponseCode.SUCCESS, call(admin, createTopic("LP")).code());
        LocalChannel consumer = broker.localChannel();
        Future<RemotingCommand> parked = consumer.call(BrokerHarness.pull("LG", "LP", 0, 0, "*", 30_000));
        BrokerHarness.await(() -> broker.components().holds().parkedCount() == 1, "the pull to park");
        assertFalse(parked.isComplete());

        assertEquals(ResponseCode.SUCCESS, call(admin, BrokerHarness.sendV2("LP", 0, "wake", props())).code());
        RemotingCommand pulled = parked.await(TIMEOUT_S, TimeUnit.SECONDS);
        assertEquals(ResponseCode.SUCCESS, pulled.code(), pulled.remark());
        assertEquals("wake", new String(StoredMessage.decodeAll(pulled.bodyBytes()).get(0).body(),
                StandardCharsets.UTF_8));

        Future<RemotingCommand> dropped = consumer.call(BrokerHarness.pull("LG", "LP", 0, 1, "*", 30_000));
        BrokerHarness.await(() -> broker.components().holds().parkedCount() == 1, "the second pull to park");
        consumer.close();
        assertEquals(0, broker.components().holds().parkedCount(), "a closed channel's parked pulls are dropped");
        assertTrue(dropped.failed(), "a call still waiting when its channel closes fails");
    }

    @Test
    void requestsToTheClientReachThePeerHandler() throws Exception {
        BlockingQueue<RemotingCommand> relayed = new ArrayBlockingQueue<>(16);
        LocalChannel client = broker.localChannel().peerHandler(req -> {
            relayed.add(req);
            return Future.succeededFuture(RemotingCommand.successTo(req)
                    .body("{\"properties\":{}}".getBytes(StandardCharsets.UTF_8)));
        });
        RemotingCommand hb = call(client, RemotingCommand.request(RequestCode.HEART_BEAT)
                .body(BrokerHarness.heartbeatBody("local@1", "LG", "LT").getBytes(StandardCharsets.UTF_8)));
        assertEquals(ResponseCode.SUCCESS, hb.code(), hb.remark());

        LocalChannel admin = broker.localChannel();
        RemotingCommand info = call(admin, RemotingCommand.request(RequestCode.GET_CONSUMER_RUNNING_INFO)
                .put("consumerGroup", "LG").put("clientId", "local@1"));
        assertEquals(ResponseCode.SUCCESS, info.code(), info.remark());
        assertEquals("{\"properties\":{}}", new String(info.bodyBytes(), StandardCharsets.UTF_8));
        RemotingCommand forwarded = relayed.poll(TIMEOUT_S, TimeUnit.SECONDS);
        while (forwarded != null && forwarded.code() == RequestCode.NOTIFY_CONSUMER_IDS_CHANGED) {
            assertTrue(forwarded.isOneway(), "the broker's notice of group changes is oneway");
            forwarded = relayed.poll(TIMEOUT_S, TimeUnit.SECONDS);
        }
        assertEquals(RequestCode.GET_CONSUMER_RUNNING_INFO, forwarded.code());
        assertEquals("local@1", forwarded.ext("clientId"));

        LocalChannel mute = broker.localChannel();
        call(mute, RemotingCommand.request(RequestCode.HEART_BEAT)
                .body(BrokerHarness.heartbeatBody("local@2", "LG", "LT").getBytes(StandardCharsets.UTF_8)));
        RemotingCommand failed = call(admin, RemotingCommand.request(RequestCode.GET_CONSUMER_RUNNING_INFO)
                .put("consumerGroup", "LG").put("clientId", "local@2"));
        assertEquals(ResponseCode.SYSTEM_ERROR, failed.code(), "a channel without a peer cannot be asked");
    }

    @Test
    void unknownCodesAndOnewayRequestsAreHandledAsOverTcp() throws Exception {
        LocalChannel channel = broker.localChannel();
        assertEquals(ResponseCode.REQUEST_CODE_NOT_SUPPORTED, call(channel, RemotingCommand.request(9999)).code());
        assertNull(call(channel, RemotingCommand.onewayRequest(RequestCode.UNREGISTER_CLIENT)
                .put("clientID", "nobody").put("producerGroup", "PG")), "oneway: no answer");
    }
}

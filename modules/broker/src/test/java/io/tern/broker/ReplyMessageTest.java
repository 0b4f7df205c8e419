package io.tern.broker;

import static io.tern.broker.BrokerHarness.props;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tern.common.message.MessageIds;
import io.tern.common.message.MessageProperties;
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

/** Request/reply (spec 3.3.2): SEND_REPLY_MESSAGE_V2 (325) pushed to the requester with 326 and stored, as the 4.9 requester sees it. */
class ReplyMessageTest {
    static final String REQUESTER = "10.0.0.5@requester";
    static final String REPLY_TOPIC = "DefaultCluster_REPLY_TOPIC";

    @TempDir
    Path dir;
    BrokerHarness h;
    RemotingClient requester;
    final BlockingQueue<RemotingCommand> pushed = new LinkedBlockingQueue<>();

    @BeforeEach
    void start() throws Exception {
        h = new BrokerHarness(dir);
        requester = new RemotingClient(h.vertx, new ProcessorTable()
                .register(RequestCode.PUSH_REPLY_MESSAGE_TO_CLIENT, (c, req) -> {
                    pushed.add(req);
                    return Future.succeededFuture(RemotingCommand.responseTo(req, ResponseCode.SUCCESS, null));
                }));
        String hb = "{\"clientID\":\"" + REQUESTER + "\",\"consumerDataSet\":[],"
                + "\"producerDataSet\":[{\"groupName\":\"REQ_PG\"},{\"groupName\":\"CLIENT_INNER_PRODUCER\"}]}";
        assertEquals(ResponseCode.SUCCESS, h.call(requester, RemotingCommand.request(RequestCode.HEART_BEAT)
                .body(hb.getBytes(StandardCharsets.UTF_8))).code());
    }

    @AfterEach
    void stop() throws Exception {
        requester.close().await(10, TimeUnit.SECONDS);
        h.close();
    }

    static RemotingCommand reply(String replyTo, String body) {
        Map<String, String> p = props("CORRELATION_ID", "corr-1", "REPLY_TO_CLIENT", replyTo, "TTL", "3000",
                "MSG_TYPE", "reply", "CLUSTER", "DefaultCluster", "UNIQ_KEY", "R1");
        return BrokerHarness.sendV2(REPLY_TOPIC, -1, body, p).code(RequestCode.SEND_REPLY_MESSAGE_V2);
    }

    @Test
    void replyIsPushedToTheRequesterAndStored() throws Exception {
        RemotingCommand r = h.call(reply(REQUESTER, "the answer"));
        assertEquals(ResponseCode.SUCCESS, r.code(), r.remark());
        assertEquals("0", r.ext("queueId"));
        assertEquals("0", r.ext("queueOffset"));
        assertEquals(h.broker.port(), MessageIds.storeHost(r.ext("msgId")).getPort());
        assertNotNull(r.ext("MSG_REGION"));

        RemotingCommand push = pushed.poll(5, TimeUnit.SECONDS);
        assertNotNull(push, "PUSH_REPLY_MESSAGE_TO_CLIENT reached the requester");
        assertEquals("the answer", new String(push.bodyBytes(), StandardCharsets.UTF_8));
        assertEquals(REPLY_TOPIC, push.ext("topic"));
        assertEquals("0", push.ext("queueId"));
        assertEquals(h.broker.address(), push.ext("storeHost"));
        assertTrue(push.ext("bornHost").startsWith("127.0.0.1:"), push.ext("bornHost"));
        assertNotNull(push.ext("storeTimestamp"));
        Map<String, String> props = MessageProperties.parse(push.ext("properties"));
        assertEquals("corr-1", props.get("CORRELATION_ID"));
        assertNotNull(props.get("PUSH_REPLY_TIME"));

        List<StoredMessage> stored = StoredMessage.decodeAll(
                h.call(BrokerHarness.pull("G", REPLY_TOPIC, 0, 0, "*", 0)).bodyBytes());
        assertEquals("the answer", stored.get(0).bodyString());
        assertEquals("reply", stored.get(0).properties().get("MSG_TYPE"));
    }

    @Test
    void replyToAnUnknownClientIsASystemError() throws Exception {
        RemotingCommand r = h.call(reply("10.0.0.6@gone", "nobody listens"));
        assertEquals(ResponseCode.SYSTEM_ERROR, r.code());
        assertTrue(r.remark().contains("not found"), r.remark());
    }
}

package io.tern.broker;

import static io.tern.broker.BrokerHarness.props;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tern.common.message.MessageIds;
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

class TransactionTest {
    @TempDir
    Path dir;
    BrokerHarness h;
    RemotingClient producer;
    final BlockingQueue<RemotingCommand> checks = new LinkedBlockingQueue<>();

    @BeforeEach
    void start() throws Exception {
        h = new BrokerHarness(dir, c -> {
            c.transactionCheckIntervalMs = 200;
            c.transactionTimeOutMs = 1000;
        });
        producer = new RemotingClient(h.vertx, new ProcessorTable().register(RequestCode.CHECK_TRANSACTION_STATE,
                (c, req) -> {
                    checks.add(req);
                    return Future.succeededFuture();
                }));
        String hb = "{\"clientID\":\"10.2.2.2@tx\",\"consumerDataSet\":[],\"producerDataSet\":[{\"groupName\":\"TPG\"},"
                + "{\"groupName\":\"CLIENT_INNER_PRODUCER\"}]}";
        assertEquals(ResponseCode.SUCCESS, h.call(producer, RemotingCommand.request(RequestCode.HEART_BEAT)
                .body(hb.getBytes(StandardCharsets.UTF_8))).code());
    }

    @AfterEach
    void stop() throws Exception {
        producer.close().await(5, TimeUnit.SECONDS);
        h.close();
    }

    private RemotingCommand sendHalf(String body, String uniqKey) throws Exception {
        RemotingCommand half = BrokerHarness.sendV2("TXT", 2, body, props("TRAN_MSG", "true", "PGROUP", "TPG",
                "UNIQ_KEY", uniqKey)).put("a", "TPG").put("f", 4);
        RemotingCommand r = h.call(producer, half);
        assertEquals(ResponseCode.SUCCESS, r.code(), r.remark());
        return r;
    }

    private void end(long queueOffset, long commitLogOffset, int type, String uniqKey, boolean fromCheck)
            throws Exception {
        RemotingCommand end = RemotingCommand.onewayRequest(RequestCode.END_TRANSACTION).put("producerGroup", "TPG")
                .put("tranStateTableOffset", queueOffset).put("commitLogOffset", commitLogOffset)
                .put("commitOrRollback", type).put("msgId", uniqKey).put("transactionId", uniqKey)
                .put("fromTransactionCheck", fromCheck);
        producer.invokeOneway(h.addr(), end).await(5, TimeUnit.SECONDS);
    }

    private List<StoredMessage> awaitMessages(long offset) throws Exception {
        RemotingCommand resp = h.callAsync(BrokerHarness.pull("G", "TXT", 2, offset, "*", 15_000), 30_000)
                .await(20, TimeUnit.SECONDS);
        assertEquals(ResponseCode.SUCCESS, resp.code(), resp.remark());
        return StoredMessage.decodeAll(resp.bodyBytes());
    }

    @Test
    void commitRollbackAndCheck() throws Exception {
        RemotingCommand committed = sendHalf("commit me", "TX1");
        end(Long.parseLong(committed.ext("queueOffset")), MessageIds.physicalOffset(committed.ext("msgId")), 8, "TX1",
                false);
        StoredMessage m = awaitMessages(0).get(0);
        assertEquals("commit me", m.bodyString());
        assertEquals("TXT", m.topic());
        assertEquals(8, m.sysFlag() & 0xC, "stored as COMMIT type");

        RemotingCommand rolledBack = sendHalf("roll me back", "TX2");
        end(Long.parseLong(rolledBack.ext("queueOffset")), MessageIds.physicalOffset(rolledBack.ext("msgId")), 12,
                "TX2", false);

        sendHalf("ask me", "TX3");
        RemotingCommand check = checks.poll(15, TimeUnit.SECONDS);
        assertNotNull(check, "the broker checks the unfinished half message");
        assertEquals("TX3", check.ext("msgId"));
        assertTrue(check.isOneway());
        StoredMessage shown = StoredMessage.decodeAll(check.bodyBytes()).get(0);
        assertEquals("TXT", shown.topic(), "check body shows the real topic");
        assertEquals(2, shown.queueId());
        assertEquals("ask me", shown.bodyString());
        assertEquals("1", shown.properties().get("TRANSACTION_CHECK_TIMES"));
        end(Long.parseLong(check.ext("tranStateTableOffset")), Long.parseLong(check.ext("commitLogOffset")), 8, "TX3",
                true);
        List<StoredMessage> next = awaitMessages(1);
        assertEquals("ask me", next.get(0).bodyString());
        // the committed and rolled-back transactions were never checked
        for (RemotingCommand c : checks) {
            assertEquals("TX3", c.ext("msgId"));
        }
        // a few check rounds later the answered transaction has not been checked again nor committed twice
        Thread.sleep(1000);
        checks.clear();
        Thread.sleep(600);
        assertTrue(checks.isEmpty(), "finished transaction re-checked: " + checks);
        RemotingCommand all = h.call(BrokerHarness.pull("G2", "TXT", 2, 0, "*", 0));
        assertEquals(2, StoredMessage.decodeAll(all.bodyBytes()).size());
    }
}

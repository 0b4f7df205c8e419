package io.tern.broker;

import static io.tern.broker.BrokerHarness.props;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tern.common.message.MessageIds;
import io.tern.remoting.protocol.RemotingCommand;
import io.tern.remoting.protocol.RequestCode;
import io.tern.remoting.protocol.ResponseCode;
import io.tern.store.GetResult;
import io.tern.store.MessageFilter;
import io.tern.store.MessageStore;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** RESUME_CHECK_HALF_MESSAGE (323): a half message given up after transactionCheckMax checks is put back. */
class ResumeCheckHalfMessageTest {
    @TempDir
    Path dir;
    BrokerHarness h;

    @BeforeEach
    void start() throws Exception {
        h = new BrokerHarness(dir, c -> {
            c.transactionCheckIntervalMs = 200;
            c.transactionTimeOutMs = 0;
            c.transactionCheckMax = 0; // give every half message up at its first check
        });
    }

    @AfterEach
    void stop() throws Exception {
        h.close();
    }

    private static List<StoredMessage> read(MessageStore store, String topic) {
        GetResult r = store.get(topic, 0, 0, 32, Integer.MAX_VALUE, MessageFilter.ALL);
        int total = 0;
        for (ByteBuffer b : r.messages()) {
            total += b.remaining();
        }
        ByteBuffer all = ByteBuffer.allocate(total);
        r.messages().forEach(b -> all.put(b.duplicate()));
        return StoredMessage.decodeAll(all.array());
    }

    @Test
    void givenUpHalfMessageIsPutBackWithItsCheckCountReset() throws Exception {
        RemotingCommand sent = h.call(BrokerHarness.sendV2("TXR", 0, "half",
                props("TRAN_MSG", "true", "PGROUP", "PG_R", "UNIQ_KEY", "TXR1")));
        assertEquals(ResponseCode.SUCCESS, sent.code(), sent.remark());
        MessageStore store = h.broker.components().store();
        List<StoredMessage> givenUp = List.of();
        for (int i = 0; i < 100 && givenUp.isEmpty(); i++) {
            Thread.sleep(100);
            givenUp = read(store, "TRANS_CHECK_MAX_TIME_TOPIC");
        }
        assertEquals(1, givenUp.size(), "the check service gave the half message up");
        StoredMessage g = givenUp.get(0);

        RemotingCommand r = h.call(RemotingCommand.request(RequestCode.RESUME_CHECK_HALF_MESSAGE)
                .put("msgId", MessageIds.offsetMsgId(g.storeHost(), g.storePort(), g.physicalOffset())));
        assertEquals(ResponseCode.SUCCESS, r.code(), r.remark());
        List<StoredMessage> halves = read(store, "RMQ_SYS_TRANS_HALF_TOPIC");
        assertTrue(halves.stream().anyMatch(m -> m.physicalOffset() > g.physicalOffset()
                && "0".equals(m.properties().get("TRANSACTION_CHECK_TIMES")) && m.bodyString().equals("half")
                && "TXR".equals(m.properties().get("REAL_TOPIC"))), "resumed copy in the half topic");

        RemotingCommand bad = h.call(RemotingCommand.request(RequestCode.RESUME_CHECK_HALF_MESSAGE)
                .put("msgId", "not-an-id"));
        assertEquals(ResponseCode.SYSTEM_ERROR, bad.code());
    }
}

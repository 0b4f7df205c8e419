package io.tern.broker;

import static io.tern.broker.BrokerHarness.props;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.tern.remoting.protocol.RemotingCommand;
import io.tern.remoting.protocol.ResponseCode;
import io.vertx.core.Future;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

class LongPollingTest {
    private static final Logger LOG = LoggerFactory.getLogger(LongPollingTest.class);

    @TempDir
    Path dir;
    BrokerHarness h;

    @BeforeEach
    void start() throws Exception {
        h = new BrokerHarness(dir);
        assertEquals(ResponseCode.SUCCESS, h.call(BrokerHarness.sendV2("LP", 0, "first", props())).code());
    }

    @AfterEach
    void stop() throws Exception {
        h.close();
    }

    @Test
    void parkedPullIsWokenBySend() throws Exception {
        Future<RemotingCommand> parked = h.callAsync(BrokerHarness.pull("G", "LP", 0, 1, null, 15_000), 30_000);
        Thread.sleep(200);
        assertFalse(parked.isComplete(), "an empty pull at the queue end is parked, not answered");
        long sentAt = System.nanoTime();
        assertEquals(ResponseCode.SUCCESS, h.call(BrokerHarness.sendV2("LP", 0, "second", props())).code());
        RemotingCommand resp = parked.await(BrokerHarness.TIMEOUT_S, TimeUnit.SECONDS);
        LOG.info("parked pull answered {} µs after the send started", (System.nanoTime() - sentAt) / 1000);
        assertEquals(ResponseCode.SUCCESS, resp.code(), resp.remark());
        List<StoredMessage> msgs = StoredMessage.decodeAll(resp.bodyBytes());
        assertEquals("second", msgs.get(0).bodyString());
        assertEquals("2", resp.ext("nextBeginOffset"));
    }

    @Test
    void parkedPullWithOtherTagWaitsAndTimesOut() throws Exception {
        Future<RemotingCommand> parked = h.callAsync(BrokerHarness.pull("G", "LP", 0, 1, "Wanted", 600), 30_000);
        Thread.sleep(100);
        assertEquals(ResponseCode.SUCCESS, h.call(BrokerHarness.sendV2("LP", 0, "other", props("TAGS", "Other")))
                .code());
        RemotingCommand resp = parked.await(BrokerHarness.TIMEOUT_S, TimeUnit.SECONDS);
        // re-read at the deadline: the non-matching message is skipped
        assertEquals(ResponseCode.PULL_RETRY_IMMEDIATELY, resp.code(), resp.remark());
        assertEquals("2", resp.ext("nextBeginOffset"));
    }

    @Test
    void emptyPullTimesOutWithRequestedOffset() throws Exception {
        RemotingCommand resp = h.callAsync(BrokerHarness.pull("G", "LP", 0, 1, "*", 300), 30_000)
                .await(BrokerHarness.TIMEOUT_S, TimeUnit.SECONDS);
        assertEquals(ResponseCode.PULL_NOT_FOUND, resp.code());
        assertEquals("1", resp.ext("nextBeginOffset"));
        assertEquals("OFFSET_OVERFLOW_ONE", resp.remark());
        assertEquals("1", resp.ext("maxOffset"));
    }

    @Test
    void pullOnEmptyNewQueueParksToo() throws Exception {
        Future<RemotingCommand> parked = h.callAsync(BrokerHarness.pull("G", "LP", 3, 0, "*", 15_000), 30_000);
        Thread.sleep(100);
        assertFalse(parked.isComplete());
        assertEquals(ResponseCode.SUCCESS, h.call(BrokerHarness.sendV2("LP", 3, "q3", props())).code());
        RemotingCommand resp = parked.await(BrokerHarness.TIMEOUT_S, TimeUnit.SECONDS);
        assertEquals(ResponseCode.SUCCESS, resp.code(), resp.remark());
        assertEquals("q3", StoredMessage.decodeAll(resp.bodyBytes()).get(0).bodyString());
    }

    @Test
    void litePullIsServedLikePull() throws Exception {
        RemotingCommand lite = BrokerHarness.pull("G", "LP", 0, 0, "*", 0).code(361);
        RemotingCommand resp = h.call(lite);
        assertEquals(ResponseCode.SUCCESS, resp.code(), resp.remark());
        assertEquals("first", StoredMessage.decodeAll(resp.bodyBytes()).get(0).bodyString());
    }
}

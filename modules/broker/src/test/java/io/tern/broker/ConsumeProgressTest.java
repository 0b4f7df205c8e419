package io.tern.broker;

import static io.tern.broker.BrokerHarness.props;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tern.broker.progress.ConsumeProgressProcessors.QueryConsumeTimeSpanBody;
import io.tern.broker.progress.ConsumeProgressProcessors.QueryCorrectionOffsetBody;
import io.tern.broker.progress.ConsumeProgressProcessors.QueueTimeSpan;
import io.tern.common.Json;
import io.tern.remoting.protocol.RemotingCommand;
import io.tern.remoting.protocol.RequestCode;
import io.tern.remoting.protocol.ResponseCode;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** QUERY_CONSUME_TIME_SPAN (303), QUERY_CORRECTION_OFFSET (308), CLONE_GROUP_OFFSET (314), spec 3.7. */
class ConsumeProgressTest {
    @TempDir
    Path dir;
    BrokerHarness h;

    @BeforeEach
    void start() throws Exception {
        h = new BrokerHarness(dir);
        for (int i = 0; i < 4; i++) {
            assertEquals(ResponseCode.SUCCESS, h.call(BrokerHarness.sendV2("PT", 0, "m" + i, props())).code());
        }
        h.broker.services().offsets.commit("G1", "PT", 0, 1);
        h.broker.services().offsets.commit("G2", "PT", 0, 3);
    }

    @AfterEach
    void stop() throws Exception {
        h.close();
    }

    @Test
    void timeSpanShowsStoreTimesAroundTheConsumedOffset() throws Exception {
        RemotingCommand r = h.call(RemotingCommand.request(RequestCode.QUERY_CONSUME_TIME_SPAN)
                .put("topic", "PT").put("group", "G1"));
        assertEquals(ResponseCode.SUCCESS, r.code(), r.remark());
        QueueTimeSpan q0 = Json.fromBytes(r.bodyBytes(), QueryConsumeTimeSpanBody.class).consumeTimeSpanSet.get(0);
        assertEquals(0, q0.messageQueue.queueId);
        assertEquals(h.broker.services().store.storeTime("PT", 0, 0), q0.minTimeStamp);
        assertEquals(h.broker.services().store.storeTime("PT", 0, 3), q0.maxTimeStamp);
        assertEquals(h.broker.services().store.storeTime("PT", 0, 0), q0.consumeTimeStamp);
        assertTrue(q0.delayTime >= 0);
        assertEquals(ResponseCode.TOPIC_NOT_EXIST, h.call(RemotingCommand.request(RequestCode.QUERY_CONSUME_TIME_SPAN)
                .put("topic", "Nope").put("group", "G1")).code());
    }

    @Test
    void correctionOffsetIsTheLowestOtherGroupOffset() throws Exception {
        RemotingCommand behind = h.call(RemotingCommand.request(RequestCode.QUERY_CORRECTION_OFFSET)
                .put("topic", "PT").put("compareGroup", "G2").put("filterGroups", "G2"));
        assertEquals(1L, Json.fromBytes(behind.bodyBytes(), QueryCorrectionOffsetBody.class).correctionOffsets.get(0));
        RemotingCommand ahead = h.call(RemotingCommand.request(RequestCode.QUERY_CORRECTION_OFFSET)
                .put("topic", "PT").put("compareGroup", "G1").put("filterGroups", "G1"));
        assertEquals(Long.MAX_VALUE,
                Json.fromBytes(ahead.bodyBytes(), QueryCorrectionOffsetBody.class).correctionOffsets.get(0));
    }

    @Test
    void cloneCopiesTheSourceGroupsOffsets() throws Exception {
        RemotingCommand r = h.call(RemotingCommand.request(RequestCode.CLONE_GROUP_OFFSET)
                .put("srcGroup", "G2").put("destGroup", "G3").put("offline", false));
        assertEquals(ResponseCode.SUCCESS, r.code(), r.remark());
        assertEquals(3, h.broker.services().offsets.query("G3", "PT", 0));
    }
}

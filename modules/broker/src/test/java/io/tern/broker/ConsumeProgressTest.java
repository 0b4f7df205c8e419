package io.tern.broker;

import static io.tern.broker.BrokerHarness.props;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tern.broker.progress.BrokerConsumeStatsProcessor.ConsumeStatsList;
import io.tern.broker.progress.ConsumeProgressProcessors.QueryConsumeTimeSpanBody;
import io.tern.broker.progress.ConsumeProgressProcessors.QueryCorrectionOffsetBody;
import io.tern.broker.progress.ConsumeProgressProcessors.QueueTimeSpan;
import io.tern.broker.progress.QueryConsumeQueueProcessor.ConsumeQueueData;
import io.tern.broker.progress.QueryConsumeQueueProcessor.QueryConsumeQueueResponseBody;
import io.tern.common.message.MessageIds;
import io.tern.common.message.TagCodes;
import java.util.List;
import io.tern.common.Json;
import io.tern.remoting.protocol.RemotingCommand;
import io.tern.remoting.protocol.RequestCode;
import io.tern.remoting.protocol.ResponseCode;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** QUERY_CONSUME_TIME_SPAN (303), QUERY_CORRECTION_OFFSET (308), CLONE_GROUP_OFFSET (314), 317, 321; spec 3.7. */
class ConsumeProgressTest {
    @TempDir
    Path dir;
    BrokerHarness h;
    final long[] physicalOffsets = new long[4];

    @BeforeEach
    void start() throws Exception {
        h = new BrokerHarness(dir);
        for (int i = 0; i < 4; i++) {
            RemotingCommand sent = h.call(BrokerHarness.sendV2("PT", 0, "m" + i, props("TAGS", "t" + (i % 2))));
            assertEquals(ResponseCode.SUCCESS, sent.code());
            physicalOffsets[i] = MessageIds.physicalOffset(sent.ext("msgId"));
        }
        h.broker.components().groups().findOrCreate("G1");
        h.broker.components().groups().findOrCreate("G2");
        h.broker.components().offsets().commit("G1", "PT", 0, 1);
        h.broker.components().offsets().commit("G2", "PT", 0, 3);
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
        assertEquals(h.broker.components().store().storeTime("PT", 0, 0), q0.minTimeStamp);
        assertEquals(h.broker.components().store().storeTime("PT", 0, 3), q0.maxTimeStamp);
        assertEquals(h.broker.components().store().storeTime("PT", 0, 0), q0.consumeTimeStamp);
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
        assertEquals(3, h.broker.components().offsets().query("G3", "PT", 0));
    }

    @Test
    void brokerConsumeStatsListsEveryGroupsLag() throws Exception {
        RemotingCommand r = h.call(RemotingCommand.request(RequestCode.GET_BROKER_CONSUME_STATS).put("isOrder", false));
        assertEquals(ResponseCode.SUCCESS, r.code(), r.remark());
        ConsumeStatsList list = Json.fromBytes(r.bodyBytes(), ConsumeStatsList.class);
        assertEquals(h.broker.address(), list.brokerAddr);
        assertEquals(3 + 1, list.totalDiff); // G1 is 3 behind, G2 is 1 behind on queue 0
        assertTrue(list.consumeStatsList.stream().anyMatch(m -> m.containsKey("G1") && m.get("G1").size() == 1));
        RemotingCommand ordered = h.call(RemotingCommand.request(RequestCode.GET_BROKER_CONSUME_STATS)
                .put("isOrder", true));
        assertEquals(0, Json.fromBytes(ordered.bodyBytes(), ConsumeStatsList.class).totalDiff);
    }

    @Test
    void queryConsumeQueueShowsTheEntries() throws Exception {
        RemotingCommand r = h.call(RemotingCommand.request(RequestCode.QUERY_CONSUME_QUEUE)
                .put("topic", "PT").put("queueId", 0).put("index", 1).put("count", 2).put("consumerGroup", "G1"));
        assertEquals(ResponseCode.SUCCESS, r.code(), r.remark());
        QueryConsumeQueueResponseBody body = Json.fromBytes(r.bodyBytes(), QueryConsumeQueueResponseBody.class);
        assertEquals(0, body.minQueueIndex);
        assertEquals(4, body.maxQueueIndex);
        List<ConsumeQueueData> entries = body.queueData;
        assertEquals(2, entries.size());
        assertEquals(physicalOffsets[1], entries.get(0).physicOffset);
        assertEquals(physicalOffsets[2], entries.get(1).physicOffset);
        assertEquals(physicalOffsets[2] - physicalOffsets[1], entries.get(0).physicSize);
        assertEquals(TagCodes.of("t1"), entries.get(0).tagsCode);
        assertEquals(TagCodes.of("t0"), entries.get(1).tagsCode);
        assertTrue(body.filterData.contains("not online"), body.filterData);

        assertEquals(ResponseCode.SYSTEM_ERROR, h.call(RemotingCommand.request(RequestCode.QUERY_CONSUME_QUEUE)
                .put("topic", "PT").put("queueId", 0).put("index", 9).put("count", 1)).code());
    }
}

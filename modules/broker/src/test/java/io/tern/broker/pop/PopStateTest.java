package io.tern.broker.pop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tern.common.protocol.MessageQueue;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The pop state's pieces on their own: extra info, the checkpoint table, ordered-pop locks, allocation. */
class PopStateTest {

    @Test
    void extraInfoIsReadAsTheClientWritesIt() {
        ExtraInfo x = ExtraInfo.parse("7 1700000000000 60000 0 1 broker-a 3 9");
        assertEquals(7, x.ckOffset());
        assertEquals(1_700_000_000_000L, x.popTime());
        assertEquals(60_000, x.invisibleTime());
        assertEquals("1", x.retryMark());
        assertEquals("broker-a", x.brokerName());
        assertEquals(3, x.queueId());
        assertFalse(x.isOrder());
        assertTrue(ExtraInfo.parse("7 1 2 999 0 b 0").isOrder());
        assertThrows(IllegalArgumentException.class, () -> ExtraInfo.parse("7 1 2"));
        assertThrows(IllegalArgumentException.class, () -> ExtraInfo.parse("x 1 2 0 0 b 0"));
        assertThrows(IllegalArgumentException.class, () -> ExtraInfo.parse(null));
    }

    @Test
    void retryTopicNamesAndMarks() {
        assertEquals("%RETRY%g_t", PopNames.retryTopic("t", "g"));
        assertEquals("1", PopNames.retryMark("%RETRY%g_t"));
        assertEquals("2", PopNames.retryMark("%RETRY%g+t"));
        assertEquals("0", PopNames.retryMark("t"));
        assertEquals("%RETRY%g+t", PopNames.realTopic("t", "g", "2"));
        assertEquals("t", PopNames.realTopic("t", "g", null));
    }

    @Test
    void aCheckpointLeavesTheTableWhenEveryMessageIsAcknowledged() {
        PopCheckpointTable table = new PopCheckpointTable();
        PopCheckpoint ck = new PopCheckpoint("g", "t", 0, 5, 1_000, 500, new long[] {5, 6});
        table.add(ck);
        assertEquals(-1, table.replayStart(10), "a checkpoint whose record is in flight holds the replay start");
        table.written(ck, 4);
        assertEquals(4, table.replayStart(10));
        assertEquals(PopCheckpointTable.AckOutcome.ACKED, table.ack(ck.key(), 5));
        assertFalse(table.holdsUnacked(ck.key(), 5));
        assertTrue(table.holdsUnacked(ck.key(), 6));
        assertEquals(PopCheckpointTable.AckOutcome.NOT_FOUND, table.ack(ck.key(), 7));
        assertEquals(PopCheckpointTable.AckOutcome.COMPLETED, table.ack(ck.key(), 6));
        assertEquals(0, table.size());
        assertEquals(10, table.replayStart(10), "nothing live: replay from the log's end");
    }

    @Test
    void onlyExpiredCheckpointsAreTakenForRevival() {
        PopCheckpointTable table = new PopCheckpointTable();
        PopCheckpoint early = new PopCheckpoint("g", "t", 0, 0, 1_000, 500, new long[] {0});
        PopCheckpoint late = new PopCheckpoint("g", "t", 1, 0, 1_000, 5_000, new long[] {0});
        for (PopCheckpoint ck : List.of(early, late)) {
            table.add(ck);
            table.written(ck, 0);
        }
        assertEquals(List.of(), table.takeExpired(1_499));
        assertEquals(List.of(early), table.takeExpired(1_500));
        assertEquals(List.of(), table.takeExpired(1_600), "being revived: not taken twice");
        table.retryLater(early);
        assertEquals(List.of(early), table.takeExpired(1_600));
        table.remove(early);
        assertEquals(1, table.size());
    }

    @Test
    void anOrderedQueueIsLockedUntilItsBatchIsAcknowledgedOrExpired() {
        OrderedPops ordered = new OrderedPops();
        assertEquals(List.of(0, 0), asList(ordered.popped("g", "t", 0, new long[] {3, 4}, 5, 1_000, 500)));
        assertTrue(ordered.isLocked("g", "t", 0, 1_200));
        assertFalse(ordered.isLocked("g", "t", 1, 1_200));
        assertFalse(ordered.isLocked("g", "t", 0, 1_500), "invisible time over");
        assertEquals(-1, ordered.ack("g", "t", 0, 3));
        assertTrue(ordered.extend("g", "t", 0, 4, 9_000));
        assertTrue(ordered.isLocked("g", "t", 0, 8_000));
        assertEquals(5, ordered.ack("g", "t", 0, 4), "the complete batch moves the offset");
        assertFalse(ordered.isLocked("g", "t", 0, 8_000));
        assertEquals(-2, ordered.ack("g", "t", 0, 4));
        ordered.popped("g", "t", 0, new long[] {5}, 6, 10_000, 500);
        assertEquals(List.of(1), asList(ordered.popped("g", "t", 0, new long[] {5}, 6, 11_000, 500)),
                "popped again: one delivery before");
    }

    @Test
    void averageAllocationGivesContiguousRunsAndCircleDealsOneByOne() {
        List<MessageQueue> queues = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            queues.add(new MessageQueue("t", "b", i));
        }
        List<String> clients = List.of("a", "b");
        assertEquals(List.of(0, 1, 2), ids(AssignmentProcessors.allocate("AVG", "a", queues, clients)));
        assertEquals(List.of(3, 4), ids(AssignmentProcessors.allocate("AVG", "b", queues, clients)));
        assertEquals(List.of(0, 2, 4), ids(AssignmentProcessors.allocate("AVG_BY_CIRCLE", "a", queues, clients)));
        assertEquals(List.of(1, 3), ids(AssignmentProcessors.allocate("AVG_BY_CIRCLE", "b", queues, clients)));
        List<String> many = List.of("a", "b", "c", "d", "e", "f");
        assertEquals(List.of(4), ids(AssignmentProcessors.allocate("AVG", "e", queues, many)));
        assertEquals(List.of(), ids(AssignmentProcessors.allocate("AVG", "f", queues, many)));
        assertEquals(List.of(), ids(AssignmentProcessors.allocate("AVG", "zz", queues, clients)));
    }

    private static List<Integer> ids(List<MessageQueue> mqs) {
        return mqs.stream().map(mq -> mq.queueId).toList();
    }

    private static List<Integer> asList(int[] a) {
        List<Integer> l = new ArrayList<>();
        for (int v : a) {
            l.add(v);
        }
        return l;
    }
}

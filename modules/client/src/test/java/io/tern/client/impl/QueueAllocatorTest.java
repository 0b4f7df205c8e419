package io.tern.client.impl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tern.common.protocol.MessageQueue;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class QueueAllocatorTest {
    static List<MessageQueue> queues(int n) {
        List<MessageQueue> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(new MessageQueue("T", "broker-a", i));
        }
        return out;
    }

    static List<Integer> ids(List<MessageQueue> queues) {
        return queues.stream().map(q -> q.queueId).toList();
    }

    @Test
    void evenSplitIsContiguous() {
        List<String> members = List.of("a", "b");
        assertEquals(List.of(0, 1), ids(QueueAllocator.allocate(queues(4), members, "a")));
        assertEquals(List.of(2, 3), ids(QueueAllocator.allocate(queues(4), members, "b")));
    }

    @Test
    void theFirstMembersTakeTheRemainder() {
        List<String> members = List.of("a", "b", "c");
        assertEquals(List.of(0, 1, 2), ids(QueueAllocator.allocate(queues(8), members, "a")));
        assertEquals(List.of(3, 4, 5), ids(QueueAllocator.allocate(queues(8), members, "b")));
        assertEquals(List.of(6, 7), ids(QueueAllocator.allocate(queues(8), members, "c")));
    }

    @Test
    void moreMembersThanQueuesLeavesSomeIdle() {
        List<String> members = List.of("a", "b", "c", "d");
        assertEquals(List.of(0), ids(QueueAllocator.allocate(queues(3), members, "a")));
        assertEquals(List.of(2), ids(QueueAllocator.allocate(queues(3), members, "c")));
        assertTrue(QueueAllocator.allocate(queues(3), members, "d").isEmpty());
    }

    @Test
    void aClientMissingFromTheListGetsNothing() {
        assertTrue(QueueAllocator.allocate(queues(4), List.of("a"), "z").isEmpty());
    }
}

package io.tern.broker.lock;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.tern.common.protocol.MessageQueue;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class QueueLockTableTest {
    final MessageQueue q0 = new MessageQueue("T", "b", 0);
    final MessageQueue q1 = new MessageQueue("T", "b", 1);

    @Test
    void expiredLocksPassToTheNextClientAndRefreshesKeepThem() {
        QueueLockTable t = new QueueLockTable(60_000);
        assertEquals(Set.of(q0, q1), t.lock("G", "A", List.of(q0, q1), 0));
        assertEquals(Set.of(), t.lock("G", "B", List.of(q0), 30_000));
        assertEquals(Set.of(q0), t.lock("G", "A", List.of(q0), 50_000)); // refresh
        assertEquals(Set.of(q1), t.lock("G", "B", List.of(q0, q1), 60_001)); // q1 expired, q0 refreshed at 50 s
        assertEquals("B", t.holder("G", q1, 60_001));
        assertEquals(Set.of(q0), t.lock("OtherGroup", "C", List.of(q0), 60_001));
        t.unlock("G", "B", List.of(q0)); // not B's: ignored
        assertEquals("A", t.holder("G", q0, 60_001));
        t.unlock("G", "A", List.of(q0));
        assertNull(t.holder("G", q0, 60_001));
    }
}

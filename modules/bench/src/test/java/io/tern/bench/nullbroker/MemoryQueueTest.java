package io.tern.bench.nullbroker;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** What the null broker keeps per queue: the last RING records, fewer when a byte budget says so. */
class MemoryQueueTest {

  /** A 100-byte record in the stored layout's first fields: its own offsets at 20 and 28, a marker at 99. */
  private static byte[] record(int marker) {
    byte[] r = new byte[100];
    r[99] = (byte) marker;
    return r;
  }

  @Test
  void theByteBudgetBoundsWhatIsKeptButNeverTheNewest() {
    MemoryQueue q = new MemoryQueue();
    for (int i = 0; i < 50; i++) {
      q.append(record(i), 1000);
    }
    assertEquals(50, q.maxOffset());
    byte[] kept = q.read(40, 10);
    for (int i = 0; i < 10; i++) {
      assertEquals(40 + i, kept[i * 100 + 99], "the last ten records are the real ones");
    }
    byte[] older = q.read(39, 1);
    assertEquals(49, older[99], "below what is kept the newest record stands in");
    assertEquals(39, older[27], "with its queue offset patched");

    MemoryQueue big = new MemoryQueue();
    big.append(record(1), 10);
    big.append(record(2), 10);
    assertArrayEquals(record(2), big.read(1, 1), "a record above the budget is still kept as the newest");
  }

  @Test
  void aGenerousBudgetKeepsTheWholeRing() {
    MemoryQueue q = new MemoryQueue();
    for (int i = 0; i < MemoryQueue.RING + 5; i++) {
      q.append(record(i), Long.MAX_VALUE);
    }
    assertEquals((byte) 5, q.read(5, 1)[99]);
    assertEquals((byte) (MemoryQueue.RING + 4), q.read(4, 1)[99], "offset 4 fell out of the ring");
  }
}

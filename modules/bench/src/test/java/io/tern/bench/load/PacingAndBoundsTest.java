package io.tern.bench.load;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** Uses a hand-driven clock: no sleeping, no timing assertions. */
class PacingAndBoundsTest {

  private final AtomicLong clock = new AtomicLong(1_000);

  @Test
  void boundsStopAtTheCount() {
    RunBounds bounds = new RunBounds(3, 60_000, clock::get);
    assertEquals(0, bounds.claim());
    assertEquals(1, bounds.claim());
    assertEquals(2, bounds.claim());
    assertEquals(-1, bounds.claim());
  }

  @Test
  void boundsStopAtTheDeadline() {
    RunBounds bounds = new RunBounds(0, 5, clock::get);
    assertEquals(0, bounds.claim());
    clock.addAndGet(5_000_000);
    assertEquals(-1, bounds.claim());
  }

  @Test
  void boundsStopWhenTold() {
    RunBounds bounds = new RunBounds(0, 5, clock::get);
    bounds.stop();
    assertEquals(-1, bounds.claim());
  }

  @Test
  void fixedRateSpacesDueTimesEvenly() {
    RatePacer pacer = new RatePacer(5_000, clock::get);
    assertEquals(1_000, pacer.dueNanos(0));
    assertEquals(1_000 + 200_000, pacer.dueNanos(1));
    assertEquals(1_000 + 1_000_000_000L, pacer.dueNanos(5_000));
  }

  @Test
  void dueTimeInThePastDoesNotWait() {
    RatePacer pacer = new RatePacer(1, clock::get);
    clock.addAndGet(10_000_000_000L);
    assertEquals(1_000 + 3_000_000_000L, pacer.awaitDue(3));
  }

  @Test
  void maxRateMakesEveryMessageDueNow() {
    RatePacer pacer = new RatePacer(0, clock::get);
    clock.set(42);
    assertEquals(42, pacer.awaitDue(1_000_000));
  }

  @Test
  void sendCountersGiveUpWhenFailuresDominate() {
    SendCounters counters = new SendCounters();
    for (int i = 0; i < 199; i++) {
      counters.failure("broker down " + i);
    }
    assertEquals(false, counters.failing());
    counters.failure("one more");
    assertEquals(true, counters.failing());
    assertEquals("broker down 0", counters.firstError());
  }
}

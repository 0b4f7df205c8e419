package io.tern.bench.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

class LatencySummaryTest {

  @Test
  void percentilesAreReportedInMicrosecondsFromNanoseconds() {
    Histogram h = new Histogram(3);
    for (int i = 1; i <= 1000; i++) {
      h.recordValue(i * 1_000L); // 1 µs .. 1000 µs, uniform
    }
    LatencySummary s = LatencySummary.ofNanos(h);
    assertEquals(1000, s.count());
    assertEquals(500, s.p50Us(), 1);
    assertEquals(990, s.p99Us(), 1);
    assertEquals(999, s.p999Us(), 1);
    assertEquals(1000, s.maxUs(), 1);
    assertEquals(500.5, s.meanUs(), 1);
  }

  @Test
  void emptyHistogramGivesTheEmptySummary() {
    assertEquals(LatencySummary.EMPTY, LatencySummary.ofNanos(new Histogram(3)));
  }

  @Test
  void recorderSumsEverythingRecordedAndClampsNegativeValues() {
    LatencyRecorder r = new LatencyRecorder();
    r.recordNanos(2_000_000);
    r.recordNanos(-5);
    assertEquals(2, r.summary().count());
    r.recordNanos(4_000_000);
    LatencySummary s = r.summary();
    assertEquals(3, s.count());
    assertEquals(4000, s.maxUs(), 4);
  }
}

package io.tern.bench.metrics;

import org.HdrHistogram.Histogram;

/** Percentiles of one latency distribution, in microseconds. */
public record LatencySummary(long count, double p50Us, double p90Us, double p99Us, double p999Us,
                             double maxUs, double meanUs) {

  public static final LatencySummary EMPTY = new LatencySummary(0, 0, 0, 0, 0, 0, 0);

  /** Summarises a histogram whose values are nanoseconds. */
  public static LatencySummary ofNanos(Histogram h) {
    if (h.getTotalCount() == 0) {
      return EMPTY;
    }
    return new LatencySummary(h.getTotalCount(),
        micros(h.getValueAtPercentile(50)),
        micros(h.getValueAtPercentile(90)),
        micros(h.getValueAtPercentile(99)),
        micros(h.getValueAtPercentile(99.9)),
        micros(h.getMaxValue()),
        Math.round(h.getMean() / 100.0) / 10.0);
  }

  private static double micros(long nanos) {
    // One decimal: HdrHistogram keeps 3 significant digits, more would be noise.
    return Math.round(nanos / 100.0) / 10.0;
  }
}

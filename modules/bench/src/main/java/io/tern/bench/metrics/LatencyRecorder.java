package io.tern.bench.metrics;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * Collects latencies in nanoseconds from any number of threads without locks
 * (HdrHistogram {@link Recorder}), and summarises them once at the end of a phase.
 */
public final class LatencyRecorder {

  private static final int SIGNIFICANT_DIGITS = 3;

  private final Recorder recorder = new Recorder(SIGNIFICANT_DIGITS);
  private final Histogram total = new Histogram(SIGNIFICANT_DIGITS);

  /** Records one latency; negative values (clock skew between stamps) count as zero. */
  public void recordNanos(long nanos) {
    recorder.recordValue(Math.max(0, nanos));
  }

  /** Everything recorded so far; call when writers are done, or accept a slightly stale view. */
  public synchronized LatencySummary summary() {
    total.add(recorder.getIntervalHistogram());
    return LatencySummary.ofNanos(total);
  }
}

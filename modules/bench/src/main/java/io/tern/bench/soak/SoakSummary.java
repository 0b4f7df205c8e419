package io.tern.bench.soak;

import java.util.ArrayList;
import java.util.List;
import java.util.function.ToDoubleFunction;

/** The samples of a soak run and the summary printed at its end. */
final class SoakSummary {
  static final String HEADER = String.format("%8s %10s %10s %10s %8s %8s %11s %8s %10s",
      "t_s", "heap_MiB", "live_MiB", "rss_MiB", "conns", "parked", "poll_answ", "dropped", "probe_ms");

  private final List<Sample> samples = new ArrayList<>();

  /**
   * One sample. Values the run could not read are -1.
   *
   * @param heapUsedBytes  heap in use (all heap pools), as the broker's jvm_memory_used_bytes reports it
   * @param liveDataBytes  old generation after the last major GC (jvm_gc_live_data_size_bytes)
   * @param probeMicros    round trip of a heartbeat on a fresh connection
   */
  record Sample(long atMs, double heapUsedBytes, double liveDataBytes, long rssKb, double connections,
                double parkedPulls, long pollAnswers, int dropped, long probeMicros) {
    String line() {
      return String.format("%8.0f %10.1f %10.1f %10.1f %8.0f %8.0f %11d %8d %10.2f", atMs / 1000.0,
          mib(heapUsedBytes), mib(liveDataBytes), rssKb < 0 ? -1 : rssKb / 1024.0, connections, parkedPulls,
          pollAnswers, dropped, probeMicros < 0 ? -1 : probeMicros / 1000.0);
    }
  }

  void add(Sample s) {
    samples.add(s);
  }

  /** Probes the broker did not answer. */
  long unanswered() {
    return samples.stream().filter(s -> s.probeMicros() < 0).count();
  }

  String report(SoakOptions o, long pollAnswers, long heartbeatAnswers, long otherAnswers, int dropped) {
    StringBuilder b = new StringBuilder();
    b.append(String.format("%nsoak: %d idle + %d long-poll connections for %d s, %d samples%n", o.idle(), o.polls(),
        o.durationMs() / 1000, samples.size()));
    b.append(range("heap in use (MiB)", s -> mib(s.heapUsedBytes())));
    b.append(range("live data after GC (MiB)", s -> mib(s.liveDataBytes())));
    b.append(range("RSS (MiB)", s -> s.rssKb() < 0 ? -1 : s.rssKb() / 1024.0));
    b.append(range("broker-counted connections", Sample::connections));
    b.append(range("parked pulls", Sample::parkedPulls));
    b.append(range("heartbeat probe (ms)", s -> s.probeMicros() < 0 ? -1 : s.probeMicros() / 1000.0));
    b.append(String.format("answers: %d long polls (expected about polls x duration / suspend = %d), %d heartbeats,"
        + " %d other; connections dropped by the broker: %d; unanswered probes: %d%n", pollAnswers,
        o.polls() * o.durationMs() / o.suspendMs(), heartbeatAnswers, otherAnswers, dropped, unanswered()));
    return b.toString();
  }

  private String range(String what, ToDoubleFunction<Sample> f) {
    if (samples.isEmpty()) {
      return "";
    }
    double first = f.applyAsDouble(samples.get(0));
    double last = f.applyAsDouble(samples.get(samples.size() - 1));
    double min = samples.stream().mapToDouble(f).min().orElse(-1);
    double max = samples.stream().mapToDouble(f).max().orElse(-1);
    return String.format("%-28s first %9.1f  min %9.1f  max %9.1f  last %9.1f%n", what, first, min, max, last);
  }

  private static double mib(double bytes) {
    return bytes < 0 ? -1 : bytes / (1024.0 * 1024.0);
  }
}

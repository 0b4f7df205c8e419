package io.tern.bench.report;

import io.tern.bench.metrics.LatencySummary;
import java.util.function.ToDoubleFunction;

/** A number read from a {@link ScenarioResult}, with its unit and which way is better. */
public enum Metric {
  THROUGHPUT("msg/s", true, r -> r.messages() == 0 ? Double.NaN : r.throughputPerSec()),
  /** Body bytes moved per second (MiB = 2^20 bytes): the number that matters for large messages. */
  MIB_PER_SEC("MiB/s", true, r -> r.messages() == 0 || Double.isNaN(bodyBytes(r)) ? Double.NaN
      : r.throughputPerSec() * bodyBytes(r) / 1048576.0),
  P50_MS("p50 ms", false, r -> latency(r).count() == 0 ? Double.NaN : latency(r).p50Us() / 1000),
  P99_MS("p99 ms", false, r -> latency(r).count() == 0 ? Double.NaN : latency(r).p99Us() / 1000),
  P999_MS("p99.9 ms", false, r -> latency(r).count() == 0 ? Double.NaN : latency(r).p999Us() / 1000),
  CPU_US_PER_MSG("broker CPU µs/msg", false,
      r -> r.messages() == 0 ? Double.NaN : r.brokerCpuMicrosPerMessage()),
  ANON_MB("broker anon MB", false, r -> r.brokerAnonPeakKb() == 0 ? Double.NaN : r.brokerAnonPeakKb() / 1024.0),
  STARTUP_MS("start-up ms", false, r -> r.extraNumber("startupMs")),
  /** CPU of the broker while nothing is sent, in % of one core: housekeeping threads cost too. */
  IDLE_CPU_PERCENT("idle CPU % of a core", false,
      r -> r.processes() == null || r.processes().isEmpty() || r.durationMs() == 0 ? Double.NaN
          : r.processes().get(0).cpuMillis() * 100.0 / r.durationMs());

  private final String label;
  private final boolean higherIsBetter;
  private final ToDoubleFunction<ScenarioResult> reader;

  Metric(String label, boolean higherIsBetter, ToDoubleFunction<ScenarioResult> reader) {
    this.label = label;
    this.higherIsBetter = higherIsBetter;
    this.reader = reader;
  }

  public String label() {
    return label;
  }

  public boolean higherIsBetter() {
    return higherIsBetter;
  }

  /** The metric's value, NaN when the result does not have it. */
  public double of(ScenarioResult r) {
    return reader.applyAsDouble(r);
  }

  /** The body size the scenario sent, from its settings; NaN when not recorded. */
  static double bodyBytes(ScenarioResult r) {
    Object v = r.settings() == null ? null : r.settings().get("bodyBytes");
    return v instanceof Number n ? n.doubleValue() : Double.NaN;
  }

  private static LatencySummary latency(ScenarioResult r) {
    return r.latency() == null ? LatencySummary.EMPTY : r.latency();
  }
}

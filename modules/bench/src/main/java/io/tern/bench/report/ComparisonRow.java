package io.tern.bench.report;

import java.util.Optional;

/**
 * One metric of one scenario for both brokers. {@code ratio} is tern / peer, so above 1 means
 * more msg/s for throughput and worse for latency, CPU, memory and start-up.
 */
public record ComparisonRow(String scenario, Metric metric, double tern, double peer, Optional<Target> target) {

  public double ratio() {
    return Double.isNaN(tern) || Double.isNaN(peer) || peer == 0 ? Double.NaN : tern / peer;
  }

  /** Empty when there is no target for this row or a side is missing. */
  public Optional<Boolean> targetMet() {
    double r = ratio();
    return Double.isNaN(r) ? Optional.empty() : target.map(t -> t.isMetBy(r));
  }
}

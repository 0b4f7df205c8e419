package io.tern.bench.report;

import java.util.Optional;

/**
 * One metric of one scenario for both brokers. {@code ratio} is tern / peer, so above 1 means
 * more msg/s for throughput and worse for latency, CPU, memory and start-up. With several peers,
 * {@code peer} is the better of them for this row and {@code peerLabel} names it; {@code ceiling}
 * is the null broker's value (NaN when it did not run).
 */
public record ComparisonRow(String scenario, Metric metric, double tern, double peer, Optional<Target> target,
                            String peerLabel, double ceiling) {

  public ComparisonRow(String scenario, Metric metric, double tern, double peer, Optional<Target> target) {
    this(scenario, metric, tern, peer, target, "", Double.NaN);
  }

  /**
   * How much of the null broker's performance Tern reaches: tern / ceiling where higher is better
   * (throughput), ceiling / tern where lower is (latency); NaN without both.
   */
  public double ofCeiling() {
    if (Double.isNaN(tern) || Double.isNaN(ceiling) || tern == 0 || ceiling == 0) {
      return Double.NaN;
    }
    return metric.higherIsBetter() ? tern / ceiling : ceiling / tern;
  }

  public double ratio() {
    return Double.isNaN(tern) || Double.isNaN(peer) || peer == 0 ? Double.NaN : tern / peer;
  }

  /** Empty when there is no target for this row or a side is missing. */
  public Optional<Boolean> targetMet() {
    double r = ratio();
    return Double.isNaN(r) ? Optional.empty() : target.map(t -> t.isMetBy(r));
  }
}

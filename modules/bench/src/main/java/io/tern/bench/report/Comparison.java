package io.tern.bench.report;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Lines up Tern's and the peer's results scenario by scenario. A scenario run several times
 * (rounds) is represented by the median of each metric, so one disturbed round on a shared
 * machine does not decide the outcome.
 */
public final class Comparison {

  private static final List<Metric> SEND_METRICS = List.of(Metric.THROUGHPUT, Metric.P50_MS, Metric.P99_MS,
      Metric.P999_MS, Metric.CPU_US_PER_MSG);

  private Comparison() {
  }

  public static List<ComparisonRow> rows(List<ScenarioResult> tern, List<ScenarioResult> peer, List<Target> targets) {
    Map<String, List<ScenarioResult>> ternByScenario = byScenario(tern);
    Map<String, List<ScenarioResult>> peerByScenario = byScenario(peer);
    Set<String> scenarios = new LinkedHashSet<>(ternByScenario.keySet());
    scenarios.addAll(peerByScenario.keySet());

    List<ComparisonRow> rows = new ArrayList<>();
    for (String scenario : scenarios) {
      List<ScenarioResult> t = ternByScenario.getOrDefault(scenario, List.of());
      List<ScenarioResult> p = peerByScenario.getOrDefault(scenario, List.of());
      for (Metric metric : metricsOf(t.isEmpty() ? p.get(0) : t.get(0))) {
        double tv = median(t, metric);
        double pv = median(p, metric);
        if (!Double.isNaN(tv) || !Double.isNaN(pv)) {
          rows.add(new ComparisonRow(scenario, metric, tv, pv, Target.find(targets, scenario, metric)));
        }
      }
    }
    rows.add(new ComparisonRow(Target.WHOLE_RUN, Metric.ANON_MB, peakAnonMb(tern), peakAnonMb(peer),
        Target.find(targets, Target.WHOLE_RUN, Metric.ANON_MB)));
    return rows;
  }

  /** Which metrics mean something for a scenario of this kind. */
  static List<Metric> metricsOf(ScenarioResult r) {
    return switch (r.kind()) {
      case "startup" -> List.of(Metric.STARTUP_MS, Metric.ANON_MB);
      case "drain" -> List.of(Metric.THROUGHPUT, Metric.CPU_US_PER_MSG, Metric.ANON_MB);
      case "observe" -> List.of(Metric.ANON_MB, Metric.IDLE_CPU_PERCENT);
      case "e2e" -> List.of(Metric.P50_MS, Metric.P99_MS, Metric.P999_MS, Metric.THROUGHPUT, Metric.CPU_US_PER_MSG);
      default -> SEND_METRICS;
    };
  }

  static Map<String, List<ScenarioResult>> byScenario(List<ScenarioResult> results) {
    Map<String, List<ScenarioResult>> map = new LinkedHashMap<>();
    for (ScenarioResult r : results) {
      map.computeIfAbsent(r.scenario(), k -> new ArrayList<>()).add(r);
    }
    return map;
  }

  /** Median over the results that have the metric; NaN if none has. */
  static double median(List<ScenarioResult> results, Metric metric) {
    double[] values = results.stream().mapToDouble(metric::of).filter(v -> !Double.isNaN(v)).sorted().toArray();
    if (values.length == 0) {
      return Double.NaN;
    }
    int mid = values.length / 2;
    return values.length % 2 == 1 ? values[mid] : (values[mid - 1] + values[mid]) / 2;
  }

  /** Highest anonymous memory of the broker seen in any scenario, in MB; NaN without results. */
  static double peakAnonMb(List<ScenarioResult> results) {
    return results.stream().mapToLong(ScenarioResult::brokerAnonPeakKb).filter(kb -> kb > 0).max()
        .stream().mapToDouble(kb -> kb / 1024.0).findFirst().orElse(Double.NaN);
  }
}

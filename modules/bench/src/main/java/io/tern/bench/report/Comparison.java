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
  /** Sends of bodies above this also report MiB/s: for 64 KiB and 1 MiB messages msg/s alone says little. */
  private static final int LARGE_BODY_BYTES = 4096;
  private static final List<Metric> LARGE_SEND_METRICS = List.of(Metric.THROUGHPUT, Metric.MIB_PER_SEC,
      Metric.P50_MS, Metric.P99_MS, Metric.P999_MS, Metric.CPU_US_PER_MSG);

  private Comparison() {
  }

  public static List<ComparisonRow> rows(List<ScenarioResult> tern, List<ScenarioResult> peer, List<Target> targets) {
    return rows(tern, Map.of("peer", peer), List.of(), targets);
  }

  /**
   * Tern against the better of the peers per scenario and metric (by the medians), and against the
   * null broker's ceiling when {@code ceiling} has results.
   */
  public static List<ComparisonRow> rows(List<ScenarioResult> tern, Map<String, List<ScenarioResult>> peers,
                                         List<ScenarioResult> ceiling, List<Target> targets) {
    Map<String, List<ScenarioResult>> ternByScenario = byScenario(tern);
    Map<String, Map<String, List<ScenarioResult>>> peersByScenario = new LinkedHashMap<>();
    Set<String> scenarios = new LinkedHashSet<>(ternByScenario.keySet());
    peers.forEach((label, results) -> {
      peersByScenario.put(label, byScenario(results));
      scenarios.addAll(peersByScenario.get(label).keySet());
    });
    Map<String, List<ScenarioResult>> ceilingByScenario = byScenario(ceiling);

    List<ComparisonRow> rows = new ArrayList<>();
    for (String scenario : scenarios) {
      List<ScenarioResult> t = ternByScenario.getOrDefault(scenario, List.of());
      ScenarioResult sample = !t.isEmpty() ? t.get(0) : peersByScenario.values().stream()
          .map(m -> m.getOrDefault(scenario, List.of())).filter(l -> !l.isEmpty()).findFirst().orElseThrow().get(0);
      for (Metric metric : metricsOf(sample)) {
        double tv = median(t, metric);
        String bestLabel = "";
        double best = Double.NaN;
        for (var peer : peersByScenario.entrySet()) {
          double pv = median(peer.getValue().getOrDefault(scenario, List.of()), metric);
          if (!Double.isNaN(pv) && (Double.isNaN(best) || (metric.higherIsBetter() ? pv > best : pv < best))) {
            best = pv;
            bestLabel = peer.getKey();
          }
        }
        double cv = median(ceilingByScenario.getOrDefault(scenario, List.of()), metric);
        if (!Double.isNaN(tv) || !Double.isNaN(best)) {
          rows.add(new ComparisonRow(scenario, metric, tv, best, Target.find(targets, scenario, metric), bestLabel,
              cv));
        }
      }
    }
    String bestLabel = "";
    double best = Double.NaN;
    for (var peer : peers.entrySet()) {
      double pv = peakAnonMb(peer.getValue());
      if (!Double.isNaN(pv) && (Double.isNaN(best) || pv < best)) {
        best = pv;
        bestLabel = peer.getKey();
      }
    }
    rows.add(new ComparisonRow(Target.WHOLE_RUN, Metric.ANON_MB, peakAnonMb(tern), best,
        Target.find(targets, Target.WHOLE_RUN, Metric.ANON_MB), bestLabel, Double.NaN));
    return rows;
  }

  /** Which metrics mean something for a scenario of this kind. */
  static List<Metric> metricsOf(ScenarioResult r) {
    return switch (r.kind()) {
      case "startup" -> List.of(Metric.STARTUP_MS, Metric.ANON_MB);
      case "drain" -> List.of(Metric.THROUGHPUT, Metric.CPU_US_PER_MSG, Metric.ANON_MB);
      case "observe" -> List.of(Metric.ANON_MB, Metric.IDLE_CPU_PERCENT);
      case "e2e" -> List.of(Metric.P50_MS, Metric.P99_MS, Metric.P999_MS, Metric.THROUGHPUT, Metric.CPU_US_PER_MSG);
      default -> Metric.bodyBytes(r) > LARGE_BODY_BYTES ? LARGE_SEND_METRICS : SEND_METRICS;
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

  /**
   * Highest anonymous memory of the broker seen in any of the scenarios, in MB (the informational ones
   * beyond them, {@link Target#BEYOND_THE_SIX}, are left out); NaN without results.
   */
  static double peakAnonMb(List<ScenarioResult> results) {
    return results.stream().filter(r -> !Target.informational(r.scenario()))
        .mapToLong(ScenarioResult::brokerAnonPeakKb).filter(kb -> kb > 0).max()
        .stream().mapToDouble(kb -> kb / 1024.0).findFirst().orElse(Double.NaN);
  }
}

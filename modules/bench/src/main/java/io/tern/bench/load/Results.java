package io.tern.bench.load;

import io.tern.bench.metrics.LatencySummary;
import io.tern.bench.proc.ProcFs;
import io.tern.bench.proc.ProcessUsage;
import io.tern.bench.report.ScenarioResult;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Builds a {@link ScenarioResult} from what a scenario measured, deriving rates per message. */
public final class Results {

  private Results() {
  }

  public static ScenarioResult of(LoadOptions o, long messages, long errors, long durationNanos,
                                  LatencySummary latency, List<ProcessUsage> usages,
                                  Map<String, Object> extra) {
    double seconds = durationNanos / 1e9;
    double throughput = seconds > 0 ? messages / seconds : 0;
    ProcessUsage broker = usages.isEmpty() || "generator".equals(usages.get(0).role()) ? null : usages.get(0);
    double cpuPerMessage = broker == null || messages == 0 ? 0 : broker.cpuMillis() * 1000.0 / messages;
    Map<String, Object> extras = new LinkedHashMap<>(extra);
    extras.put("loadAverageAtEnd", new ProcFs().loadAverage());
    return new ScenarioResult(o.brokerLabel(), o.scenarioName(), o.kind().cliName(), settings(o),
        messages, errors, Math.round(durationNanos / 1e6), Math.round(throughput * 10) / 10.0,
        latency, Math.round(cpuPerMessage * 100) / 100.0, broker == null ? 0 : broker.anonPeakKb(),
        usages, extras);
  }

  private static Map<String, Object> settings(LoadOptions o) {
    Map<String, Object> s = new LinkedHashMap<>();
    s.put("topic", o.topic());
    s.put("threads", o.threads());
    s.put("inflight", o.inflight());
    s.put("ratePerSec", o.ratePerSec());
    s.put("count", o.count());
    s.put("durationMs", o.durationMs());
    s.put("warmupMs", o.warmupMs());
    s.put("bodyBytes", o.bodyBytes());
    s.put("queues", o.queues());
    if (o.topics() > 1) {
      s.put("topics", o.topics());
    }
    if (o.groups() > 1) {
      s.put("groups", o.groups());
    }
    return s;
  }
}

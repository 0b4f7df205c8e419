package io.tern.bench.report;

import io.tern.bench.metrics.LatencySummary;
import io.tern.bench.proc.ProcessUsage;
import java.util.List;
import java.util.Map;

/**
 * The outcome of one scenario against one broker: what the load generator writes as JSON and
 * what {@link CompareResults} reads back.
 *
 * @param broker                     label of the broker under test, e.g. "tern" or "rocketmq-5.3.3"
 * @param scenario                   name of the scenario, e.g. "sync-32"
 * @param kind                       what the generator did, e.g. "sync-send", "drain"
 * @param settings                   flags that shaped the load (threads, rate, body bytes...)
 * @param messages                   messages completed in the measured phase
 * @param errors                     sends that failed or did not return SEND_OK
 * @param durationMs                 length of the measured phase
 * @param throughputPerSec           messages / duration
 * @param latency                    main latency of the scenario (send or end-to-end); EMPTY if none
 * @param brokerCpuMicrosPerMessage  CPU the first watched process spent per message, in µs
 * @param brokerAnonPeakKb           highest anonymous RSS of the first watched process
 * @param processes                  per-process CPU and memory, first is the broker
 * @param extra                      scenario-specific numbers (start-up timeline, fill rate...)
 */
public record ScenarioResult(String broker, String scenario, String kind, Map<String, Object> settings,
                             long messages, long errors, long durationMs, double throughputPerSec,
                             LatencySummary latency, double brokerCpuMicrosPerMessage,
                             long brokerAnonPeakKb, List<ProcessUsage> processes,
                             Map<String, Object> extra) {

  /** A number from {@link #extra}, or NaN when the scenario did not record it. */
  public double extraNumber(String key) {
    Object value = extra == null ? null : extra.get(key);
    return value instanceof Number n ? n.doubleValue() : Double.NaN;
  }
}

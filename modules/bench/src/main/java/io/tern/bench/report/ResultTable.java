package io.tern.bench.report;

import io.tern.bench.metrics.LatencySummary;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Formats results as a fixed-width text table, one row per scenario and broker. */
public final class ResultTable {

  private static final int NOTE_MAX_CHARS = 160;
  private static final String ROW = "%-16s %-20s %9s %10s %8s %8s %8s %8s %6s %9s %9s  %s%n";

  private ResultTable() {
  }

  public static String format(List<ScenarioResult> results) {
    StringBuilder out = new StringBuilder();
    out.append(String.format(Locale.ROOT, ROW, "broker", "scenario", "messages", "msg/s", "p50 ms", "p99 ms",
        "p99.9 ms", "max ms", "errors", "cpu us/msg", "anon MB", "note"));
    for (ScenarioResult r : results) {
      LatencySummary l = r.latency() == null ? LatencySummary.EMPTY : r.latency();
      boolean hasLatency = l.count() > 0;
      out.append(String.format(Locale.ROOT, ROW, r.broker(), r.scenario(), r.messages(),
          r.messages() == 0 ? "-" : String.format(Locale.ROOT, "%.0f", r.throughputPerSec()),
          hasLatency ? ms(l.p50Us()) : "-", hasLatency ? ms(l.p99Us()) : "-",
          hasLatency ? ms(l.p999Us()) : "-", hasLatency ? ms(l.maxUs()) : "-",
          r.errors(), r.messages() == 0 ? "-" : String.format(Locale.ROOT, "%.1f", r.brokerCpuMicrosPerMessage()),
          r.brokerAnonPeakKb() == 0 ? "-" : Long.toString(r.brokerAnonPeakKb() / 1024), note(r)));
    }
    return out.toString();
  }

  static String ms(double micros) {
    return String.format(Locale.ROOT, "%.2f", micros / 1000);
  }

  /** The one scenario-specific number worth seeing in the table. */
  static String note(ScenarioResult r) {
    double startup = r.extraNumber("startupMs");
    if (!Double.isNaN(startup)) {
      return String.format(Locale.ROOT, "start-up to route %.0f ms", startup) + timeline(r);
    }
    double fill = r.extraNumber("fillPerSec");
    if (!Double.isNaN(fill)) {
      return String.format(Locale.ROOT, "backlog %.0f filled at %.0f msg/s", r.extraNumber("backlog"), fill)
          + coldness(r);
    }
    if (r.extra() != null && r.extra().containsKey("pageCacheDropped") && !r.extra().containsKey("backlog")) {
      return coldness(r).substring(2); // the drop step of a cold drain
    }
    double groups = r.extraNumber("fanOutGroups");
    if (!Double.isNaN(groups)) {
      double lost = r.extraNumber("lost");
      return String.format(Locale.ROOT, "%.0f sends x %.0f groups = deliveries%s", r.extraNumber("sent"), groups,
          lost > 0 ? String.format(Locale.ROOT, ", %.0f not delivered", lost) : "");
    }
    Object topics = r.settings() == null ? null : r.settings().get("topics");
    if (topics instanceof Number n && n.intValue() > 1) {
      return String.format(Locale.ROOT, "%d topics x %s queues", n.intValue(), r.settings().get("queues"));
    }
    double mibPerSec = Metric.bodyBytes(r) > 4096 ? Metric.MIB_PER_SEC.of(r) : Double.NaN;
    if (!Double.isNaN(mibPerSec)) {
      return String.format(Locale.ROOT, "%.0f MiB/s of %.0f KiB bodies", mibPerSec, Metric.bodyBytes(r) / 1024);
    }
    double idle = "observe".equals(r.kind()) ? Metric.IDLE_CPU_PERCENT.of(r) : Double.NaN;
    if (!Double.isNaN(idle)) {
      return String.format(Locale.ROOT, "idle CPU %.1f%% of a core", idle);
    }
    double lost = r.extraNumber("lost");
    if (!Double.isNaN(lost) && lost > 0) {
      return String.format(Locale.ROOT, "%.0f not delivered", lost);
    }
    Object error = r.extra() == null ? null : r.extra().get("firstError");
    return error == null ? "" : "first error: " + oneLine(error.toString(), NOTE_MAX_CHARS);
  }

  /**
   * For a cold drain: whether the broker was restarted and the page cache dropped in between, and how much of the
   * store was cached when the drain started. Results of the earlier one-process drop (no restart) keep their note.
   */
  private static String coldness(ScenarioResult r) {
    Object restarted = r.extra() == null ? null : r.extra().get("brokerRestarted");
    if (restarted != null) {
      return splitDrainColdness(r, Boolean.TRUE.equals(restarted));
    }
    Object dropped = r.extra() == null ? null : r.extra().get("pageCacheDropped");
    if (dropped == null) {
      return "";
    }
    if (!Boolean.TRUE.equals(dropped)) {
      return "; NOT cold: " + oneLine(String.valueOf(r.extra().get("pageCacheNotDropped")), NOTE_MAX_CHARS / 2);
    }
    double before = r.extraNumber("storeCachedMbBeforeDrop");
    double after = r.extraNumber("storeCachedMbAfterDrop");
    return Double.isNaN(before) ? "; page cache dropped"
        : String.format(Locale.ROOT, "; page cache dropped, store cached %.0f -> %.0f MB", before, after);
  }

  private static String splitDrainColdness(ScenarioResult r, boolean restarted) {
    Object dropped = r.extra().get("pageCacheDropped");
    String drop;
    if (dropped == null) {
      drop = "page cache not dropped";
    } else if (Boolean.TRUE.equals(dropped)) {
      drop = "page cache dropped";
    } else {
      drop = "NOT dropped: " + oneLine(String.valueOf(r.extra().get("pageCacheNotDropped")), NOTE_MAX_CHARS / 2);
    }
    double afterRestart = r.extraNumber("commitLogDataCachedMbAfterRestart");
    Object pagedOut = r.extra().get("storePagedOut");
    String startUp = Double.isNaN(afterRestart) ? ""
        : String.format(Locale.ROOT, ", %.0f MB of commit-log data cached after start-up", afterRestart);
    if (pagedOut != null) {
      startUp += Boolean.TRUE.equals(pagedOut) ? " and paged out"
          : ", NOT paged out: " + oneLine(String.valueOf(r.extra().get("storeNotPagedOut")), NOTE_MAX_CHARS / 2);
    }
    double atStart = r.extraNumber("storeCachedMbAtDrainStart");
    double data = r.extraNumber("commitLogDataCachedMbAtDrainStart");
    double dataMb = r.extraNumber("commitLogDataMb");
    return "; broker " + (restarted ? "restarted" : "not restarted") + ", " + drop + startUp
        + (Double.isNaN(atStart) ? "" : String.format(Locale.ROOT, ", store cached %.0f MB at drain start", atStart))
        + (Double.isNaN(data) || Double.isNaN(dataMb) ? ""
            : String.format(Locale.ROOT, " (commit-log data %.0f of %.0f MB)", data, dataMb));
  }

  /** When the broker listened and registered, which explains where a long start-up went. */
  private static String timeline(ScenarioResult r) {
    if (!(r.extra().get("timelineMs") instanceof Map<?, ?> events)) {
      return "";
    }
    Object listening = events.get("brokerListening");
    Object registered = events.get("brokerRegistered");
    return " (port open " + (listening == null ? "?" : listening) + " ms, registered "
        + (registered == null ? "?" : registered) + " ms)";
  }

  /** Client exceptions span several lines (with a FAQ link); a table cell must not. */
  static String oneLine(String text, int maxChars) {
    String flat = text.replaceAll("\\s+", " ").strip();
    return flat.length() <= maxChars ? flat : flat.substring(0, maxChars - 3) + "...";
  }
}

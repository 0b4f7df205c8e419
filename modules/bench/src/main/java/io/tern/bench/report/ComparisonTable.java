package io.tern.bench.report;

import java.util.List;
import java.util.Locale;

/** Renders comparison rows as plain text (terminal) or as a Markdown table (docs). */
public final class ComparisonTable {

  private static final String TEXT_ROW = "%-20s %-18s %12s %12s %-16s %9s %8s %5s %9s%n";

  private ComparisonTable() {
  }

  public static String text(List<ComparisonRow> rows, String ternLabel, String peerLabel) {
    StringBuilder out = new StringBuilder();
    out.append(String.format(Locale.ROOT, TEXT_ROW, "scenario", "metric", ternLabel, peerLabel, "(which peer)",
        "ratio", "target", "met", "of ceiling"));
    for (ComparisonRow r : rows) {
      out.append(String.format(Locale.ROOT, TEXT_ROW, r.scenario(), r.metric().label(), number(r.tern()),
          number(r.peer()), r.peerLabel(), ratio(r.ratio()), target(r), met(r),
          fraction(r.ofCeiling())));
    }
    return out.toString();
  }

  public static String markdown(List<ComparisonRow> rows, String ternLabel, String peerLabel) {
    StringBuilder out = new StringBuilder();
    out.append("| scenario | metric | ").append(ternLabel).append(" | ").append(peerLabel)
        .append(" | ratio | target | met | of ceiling |\n");
    out.append("|---|---|---:|---:|---:|---|---|---:|\n");
    for (ComparisonRow r : rows) {
      String peer = number(r.peer()) + (r.peerLabel().isEmpty() || r.peerLabel().equals("peer") ? ""
          : " (" + r.peerLabel() + ")");
      out.append("| ").append(r.scenario()).append(" | ").append(r.metric().label()).append(" | ")
          .append(number(r.tern())).append(" | ").append(peer).append(" | ")
          .append(ratio(r.ratio())).append(" | ").append(target(r))
          .append(" | ").append(met(r)).append(" | ").append(fraction(r.ofCeiling())).append(" |\n");
    }
    return out.toString();
  }

  static String number(double v) {
    if (Double.isNaN(v)) {
      return "-";
    }
    if (Math.abs(v) >= 100) {
      return String.format(Locale.ROOT, "%,.0f", v);
    }
    return String.format(Locale.ROOT, "%.2f", v);
  }

  static String ratio(double v) {
    return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%.2fx", v);
  }

  static String fraction(double v) {
    return Double.isNaN(v) ? "" : String.format(Locale.ROOT, "%.2f", v);
  }

  /** The target, or "info" for the scenarios beyond the six, which are reported without one. */
  private static String target(ComparisonRow r) {
    return r.target().map(Target::describe).orElse(Target.informational(r.scenario()) ? "info" : "");
  }

  private static String met(ComparisonRow r) {
    return r.targetMet().map(ok -> ok ? "yes" : "NO").orElse("");
  }
}

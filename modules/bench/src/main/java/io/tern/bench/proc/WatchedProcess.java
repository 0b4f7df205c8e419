package io.tern.bench.proc;

import java.util.ArrayList;
import java.util.List;

/** A process to sample, by pid, with the role it plays in the benchmark. */
public record WatchedProcess(long pid, String role) {

  /**
   * Parses the --pid flag: a comma-separated list of {@code pid} or {@code role=pid}; an
   * unnamed first pid is "broker", later unnamed ones "process-N". The first entry is the one
   * headline numbers (CPU per message, anonymous memory) are taken from.
   */
  public static List<WatchedProcess> parseList(String spec) {
    List<WatchedProcess> list = new ArrayList<>();
    if (spec == null || spec.isBlank()) {
      return list;
    }
    for (String item : spec.split(",")) {
      String trimmed = item.trim();
      int eq = trimmed.indexOf('=');
      if (eq >= 0) {
        list.add(new WatchedProcess(Long.parseLong(trimmed.substring(eq + 1)), trimmed.substring(0, eq)));
      } else {
        String role = list.isEmpty() ? "broker" : "process-" + list.size();
        list.add(new WatchedProcess(Long.parseLong(trimmed), role));
      }
    }
    return list;
  }
}

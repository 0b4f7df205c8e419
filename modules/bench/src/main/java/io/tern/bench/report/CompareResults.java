package io.tern.bench.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the JSON results of a benchmark run (one directory per broker), prints every result and,
 * when Tern and a peer ran, the ratios of Tern to the better peer per scenario against the issues'
 * targets, and the fraction of the null broker's ceiling Tern reaches. Optionally writes the same
 * as Markdown, standalone and/or into the generated section of src-docs/performance.md.
 *
 * <pre>
 * java -cp tern-bench-*-bench.jar io.tern.bench.report.CompareResults \
 *   [--tern dir] [--peer dir] [--peer-label rocketmq-5.3.3] [--peer2 dir] [--peer2-label rocketmq-4.9.7] \
 *   [--ceiling dir] [--tern-label tern] \
 *   [--machine machine.txt] [--command "scripts/bench.sh --peer"] [--markdown out.md] [--docs performance.md]
 * </pre>
 */
public final class CompareResults {

  private CompareResults() {
  }

  public static void main(String[] args) throws IOException {
    Map<String, String> flags = new HashMap<>();
    for (int i = 0; i + 1 < args.length; i += 2) {
      flags.put(args[i].replaceFirst("^--", ""), args[i + 1]);
    }
    String ternLabel = flags.getOrDefault("tern-label", "tern");
    String peerLabel = flags.getOrDefault("peer-label", "rocketmq-5.3.3");
    List<ScenarioResult> tern = read(flags.get("tern"));
    Map<String, List<ScenarioResult>> peers = new LinkedHashMap<>();
    if (flags.containsKey("peer")) {
      peers.put(peerLabel, read(flags.get("peer")));
    }
    if (flags.containsKey("peer2")) {
      peers.put(flags.getOrDefault("peer2-label", "peer2"), read(flags.get("peer2")));
    }
    List<ScenarioResult> ceiling = read(flags.get("ceiling"));
    if (peers.size() > 1) {
      peerLabel = "faster peer";
    }

    List<ScenarioResult> all = new ArrayList<>(tern);
    peers.values().forEach(all::addAll);
    all.addAll(ceiling);
    System.out.println();
    System.out.print(ResultTable.format(all));
    boolean anyPeer = peers.values().stream().anyMatch(l -> !l.isEmpty());
    List<ComparisonRow> rows = tern.isEmpty() || (!anyPeer && ceiling.isEmpty()) ? List.of()
        : Comparison.rows(tern, peers, ceiling, Target.ISSUE_TARGETS);
    if (!rows.isEmpty()) {
      System.out.println();
      System.out.print(ComparisonTable.text(rows, ternLabel, peerLabel));
    }

    String markdown = markdown(all, rows, ternLabel, peerLabel, flags);
    if (flags.containsKey("markdown")) {
      Files.writeString(Path.of(flags.get("markdown")), markdown);
    }
    if (flags.containsKey("docs")) {
      Path docs = Path.of(flags.get("docs"));
      String document = Files.exists(docs) ? Files.readString(docs) : "# Performance\n";
      Files.writeString(docs, DocsSection.replace(document, markdown));
    }
  }

  private static List<ScenarioResult> read(String dir) throws IOException {
    return dir == null ? List.of() : ResultJson.readAll(Path.of(dir));
  }

  static String markdown(List<ScenarioResult> all, List<ComparisonRow> rows, String ternLabel, String peerLabel,
                         Map<String, String> flags) throws IOException {
    StringBuilder md = new StringBuilder();
    if (flags.containsKey("command")) {
      md.append("Reproduce with:\n\n```sh\n").append(flags.get("command")).append("\n```\n\n");
    }
    if (flags.containsKey("machine")) {
      md.append("Machine:\n\n```text\n").append(Files.readString(Path.of(flags.get("machine"))).strip())
          .append("\n```\n\n");
    }
    if (!rows.isEmpty()) {
      md.append("Tern against the peer (ratio = Tern / peer, the faster peer per row when two ran; medians when a "
          + "scenario ran more than once; of ceiling = the share of the null broker's result Tern reaches):\n\n");
      md.append(ComparisonTable.markdown(rows, ternLabel, peerLabel)).append('\n');
    }
    md.append("Every result (latencies of the send or, for e2e, of delivery; CPU and anonymous memory of the "
        + "broker process):\n\n```text\n").append(ResultTable.format(all)).append("```\n");
    return md.toString();
  }
}

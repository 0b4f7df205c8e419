package io.tern.bench.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tern.bench.metrics.LatencySummary;
import io.tern.bench.proc.ProcessUsage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportTest {

  private static ScenarioResult result(String broker, String scenario, String kind, double msgPerSec,
                                       double p99Us, long anonKb, Map<String, Object> extra) {
    LatencySummary latency = p99Us == 0 ? LatencySummary.EMPTY
        : new LatencySummary(100, p99Us / 2, p99Us / 1.5, p99Us, p99Us * 1.2, p99Us * 2, p99Us / 2);
    long messages = msgPerSec == 0 ? 0 : 1000;
    return new ScenarioResult(broker, scenario, kind, Map.of("threads", 32), messages, 0, 1000, msgPerSec,
        latency, 25.0, anonKb, List.of(new ProcessUsage(1, "broker", 25, anonKb, anonKb, anonKb * 2, true)), extra);
  }

  @Test
  void targetsAreDescribedWithTheirOwnPrecision() {
    assertEquals("≤ 0.25x", Target.find(Target.ISSUE_TARGETS, "startup", Metric.STARTUP_MS).orElseThrow().describe());
    assertEquals("≥ 1.5x", Target.find(Target.ISSUE_TARGETS, "sync-32", Metric.THROUGHPUT).orElseThrow().describe());
    assertEquals("≤ 0.3x", Target.find(Target.ISSUE_TARGETS, Target.WHOLE_RUN, Metric.ANON_MB).orElseThrow().describe());
  }

  @Test
  void resultsSurviveAJsonRoundTrip(@TempDir Path dir) throws IOException {
    ScenarioResult r = result("tern", "sync-32", "sync-send", 30_000, 5_600, 300_000, Map.of("firstError", "x"));
    ResultJson.write(r, dir.resolve("r1-02-sync-32.json"));
    ResultJson.write(result("tern", "startup", "startup", 0, 0, 100_000, Map.of("startupMs", 900)),
        dir.resolve("r1-01-startup.json"));
    List<ScenarioResult> all = ResultJson.readAll(dir);
    assertEquals(2, all.size());
    assertEquals("startup", all.get(0).scenario());
    assertEquals(900, all.get(0).extraNumber("startupMs"));
    assertEquals(r, all.get(1));
  }

  @Test
  void ratiosAreTernOverPeerAndJudgedAgainstTheIssueTargets() {
    List<ScenarioResult> tern = List.of(
        result("tern", "startup", "startup", 0, 0, 100 * 1024, Map.of("startupMs", 800)),
        result("tern", "sync-32", "sync-send", 30_000, 3_000, 200 * 1024, Map.of()),
        result("tern", "e2e-5k", "e2e", 5_000, 4_000, 220 * 1024, Map.of()));
    List<ScenarioResult> peer = List.of(
        result("peer", "startup", "startup", 0, 0, 200 * 1024, Map.of("startupMs", 3_400)),
        result("peer", "sync-32", "sync-send", 19_000, 5_600, 760 * 1024, Map.of()),
        result("peer", "e2e-5k", "e2e", 5_000, 6_400, 700 * 1024, Map.of()));

    List<ComparisonRow> rows = Comparison.rows(tern, peer, Target.ISSUE_TARGETS);

    ComparisonRow startup = row(rows, "startup", Metric.STARTUP_MS);
    assertEquals(800.0 / 3_400, startup.ratio(), 1e-9);
    assertEquals(Optional.of(true), startup.targetMet());
    ComparisonRow sync = row(rows, "sync-32", Metric.THROUGHPUT);
    assertEquals(30_000.0 / 19_000, sync.ratio(), 1e-9);
    assertEquals(Optional.of(true), sync.targetMet());
    ComparisonRow e2e = row(rows, "e2e-5k", Metric.P99_MS);
    assertEquals(4.0 / 6.4, e2e.ratio(), 1e-9);
    assertEquals(Optional.of(false), e2e.targetMet());
    ComparisonRow memory = row(rows, Target.WHOLE_RUN, Metric.ANON_MB);
    assertEquals(220.0 / 760, memory.ratio(), 1e-9);
    assertEquals(Optional.of(true), memory.targetMet());
    assertEquals(Optional.empty(), row(rows, "sync-32", Metric.P50_MS).targetMet());
  }

  @Test
  void twoPeersAreComparedByTheFasterPerRowAndTheCeilingShowsTernsShare() {
    List<ScenarioResult> tern = List.of(
        result("tern", "sync-32", "sync-send", 30_000, 3_000, 200 * 1024, Map.of()),
        result("tern", "e2e-5k", "e2e", 5_000, 4_000, 200 * 1024, Map.of()));
    Map<String, List<ScenarioResult>> peers = new java.util.LinkedHashMap<>();
    peers.put("rocketmq-5.3.3", List.of(
        result("rocketmq-5.3.3", "sync-32", "sync-send", 19_000, 5_600, 800 * 1024, Map.of()),
        result("rocketmq-5.3.3", "e2e-5k", "e2e", 5_000, 9_000, 800 * 1024, Map.of())));
    peers.put("rocketmq-4.9.7", List.of(
        result("rocketmq-4.9.7", "sync-32", "sync-send", 25_000, 4_000, 700 * 1024, Map.of()),
        result("rocketmq-4.9.7", "e2e-5k", "e2e", 5_000, 12_000, 700 * 1024, Map.of())));
    List<ScenarioResult> ceiling = List.of(
        result("null", "sync-32", "sync-send", 50_000, 1_500, 300 * 1024, Map.of()),
        result("null", "e2e-5k", "e2e", 5_000, 2_000, 300 * 1024, Map.of()));

    List<ComparisonRow> rows = Comparison.rows(tern, peers, ceiling, Target.ISSUE_TARGETS);

    ComparisonRow sync = row(rows, "sync-32", Metric.THROUGHPUT);
    assertEquals("rocketmq-4.9.7", sync.peerLabel());
    assertEquals(30_000.0 / 25_000, sync.ratio(), 1e-9);
    assertEquals(Optional.of(false), sync.targetMet());
    assertEquals(30_000.0 / 50_000, sync.ofCeiling(), 1e-9);
    ComparisonRow e2e = row(rows, "e2e-5k", Metric.P99_MS);
    assertEquals("rocketmq-5.3.3", e2e.peerLabel(), "lower latency is the better peer");
    assertEquals(4.0 / 9.0, e2e.ratio(), 1e-9);
    assertEquals(2.0 / 4.0, e2e.ofCeiling(), 1e-9);
    ComparisonRow memory = row(rows, Target.WHOLE_RUN, Metric.ANON_MB);
    assertEquals("rocketmq-4.9.7", memory.peerLabel());
    String markdown = ComparisonTable.markdown(rows, "tern", "faster peer");
    assertTrue(markdown.contains("| sync-32 | msg/s | 30,000 | 25,000 (rocketmq-4.9.7) | 1.20x | ≥ 1.5x | NO | 0.60 |"),
        markdown);
  }

  @Test
  void scenariosBeyondTheSixAreInformationalRowsOutsideTheMemoryTarget() {
    Map<String, Object> large = Map.of("bodyBytes", 1_048_576, "threads", 32);
    ScenarioResult ternLarge = new ScenarioResult("tern", "sync-32-1m", "sync-send", large, 1000, 0, 1000, 800,
        LatencySummary.EMPTY, 30.0, 900 * 1024, List.of(), Map.of());
    ScenarioResult peerLarge = new ScenarioResult("rocketmq-4.9.7", "sync-32-1m", "sync-send", large, 1000, 0, 1000,
        400, LatencySummary.EMPTY, 60.0, 1900 * 1024, List.of(), Map.of());
    List<ScenarioResult> tern = List.of(result("tern", "sync-32", "sync-send", 30_000, 3_000, 200 * 1024, Map.of()),
        ternLarge, result("tern", "fanout-8", "e2e", 40_000, 4_000, 300 * 1024,
            Map.of("fanOutGroups", 8, "sent", 5_000, "lost", 0)));
    List<ScenarioResult> peer = List.of(result("peer", "sync-32", "sync-send", 20_000, 5_000, 800 * 1024, Map.of()),
        peerLarge);

    List<ComparisonRow> rows = Comparison.rows(tern, Map.of("rocketmq-4.9.7", peer), List.of(), Target.ISSUE_TARGETS);

    ComparisonRow mib = row(rows, "sync-32-1m", Metric.MIB_PER_SEC);
    assertEquals(800.0, mib.tern(), 1e-9, "800 msg/s of 1 MiB");
    assertEquals(2.0, mib.ratio(), 1e-9);
    assertEquals(Optional.empty(), mib.targetMet());
    assertTrue(rows.stream().noneMatch(r -> r.scenario().equals("sync-32") && r.metric() == Metric.MIB_PER_SEC));
    assertEquals(Optional.empty(), row(rows, "fanout-8", Metric.P99_MS).targetMet());
    ComparisonRow memory = row(rows, Target.WHOLE_RUN, Metric.ANON_MB);
    assertEquals(200.0 / 800, memory.ratio(), 1e-9, "1 MiB bodies do not count against the memory target");
    String markdown = ComparisonTable.markdown(rows, "tern", "faster peer");
    assertTrue(markdown.contains("| sync-32-1m | MiB/s | 800 | 400 (rocketmq-4.9.7) | 2.00x | info |  |  |"),
        markdown);
    String table = ResultTable.format(List.of(ternLarge, tern.get(2)));
    assertTrue(table.contains("800 MiB/s of 1024 KiB bodies"), table);
    assertTrue(table.contains("5000 sends x 8 groups = deliveries"), table);
    ScenarioResult manyQueues = new ScenarioResult("tern", "queues-10k", "sync-send",
        Map.of("topics", 1250, "queues", 8, "bodyBytes", 1024), 1000, 0, 1000, 20_000, LatencySummary.EMPTY, 20.0,
        1024, List.of(), Map.of());
    assertEquals("1250 topics x 8 queues", ResultTable.note(manyQueues));
  }

  @Test
  void aColdDrainSaysHowColdItWas() {
    ScenarioResult cold = result("tern", "drain-cold", "drain", 100_000, 0, 1024, Map.of("fillPerSec", 50_000,
        "backlog", 100_000, "pageCacheDropped", true, "storeCachedMbBeforeDrop", 1100, "storeCachedMbAfterDrop", 3));
    assertEquals("backlog 100000 filled at 50000 msg/s; page cache dropped, store cached 1100 -> 3 MB",
        ResultTable.note(cold));
    ScenarioResult warm = result("tern", "drain-cold", "drain", 100_000, 0, 1024, Map.of("fillPerSec", 50_000,
        "backlog", 100_000, "pageCacheDropped", false, "pageCacheNotDropped", "cannot drop the page cache"));
    assertTrue(ResultTable.note(warm).endsWith("; NOT cold: cannot drop the page cache"), ResultTable.note(warm));
  }

  @Test
  void aRestartedColdDrainSaysHowMuchWasCachedWhenItStarted() {
    ScenarioResult restarted = result("rocketmq-4.9.7", "drain-cold", "drain", 100_000, 0, 1024, Map.of(
        "fillPerSec", 50_000, "backlog", 100_000, "pageCacheDropped", true, "brokerRestarted", true,
        "commitLogDataCachedMbAfterRestart", 116, "storePagedOut", true, "storeCachedMbAtDrainStart", 2,
        "commitLogDataMb", 125, "commitLogDataCachedMbAtDrainStart", 1));
    assertEquals("backlog 100000 filled at 50000 msg/s; broker restarted, page cache dropped, 116 MB of commit-log "
        + "data cached after start-up and paged out, store cached 2 MB at drain start (commit-log data 1 of 125 MB)",
        ResultTable.note(restarted));
    ScenarioResult noPython = result("tern", "drain-cold", "drain", 100_000, 0, 1024, Map.of("fillPerSec", 50_000,
        "backlog", 100_000, "pageCacheDropped", true, "brokerRestarted", true, "commitLogDataCachedMbAfterRestart", 12,
        "storePagedOut", false, "storeNotPagedOut", "cannot page out (python3 needed)"));
    assertTrue(ResultTable.note(noPython).endsWith("12 MB of commit-log data cached after start-up, NOT paged out: "
        + "cannot page out (python3 needed)"), ResultTable.note(noPython));
    ScenarioResult refused = result("tern", "drain-cold", "drain", 100_000, 0, 1024, Map.of("fillPerSec", 50_000,
        "backlog", 100_000, "pageCacheDropped", false, "pageCacheNotDropped", "cannot drop the page cache",
        "brokerRestarted", true, "storeCachedMbAtDrainStart", 118));
    assertEquals("backlog 100000 filled at 50000 msg/s; broker restarted, NOT dropped: cannot drop the page cache, "
        + "store cached 118 MB at drain start", ResultTable.note(refused));
    ScenarioResult dropStep = result("tern", "drain-cold-drop", "drain", 0, 0, 0, Map.of("pageCacheDropped", true,
        "storeCachedMbBeforeDrop", 225, "storeCachedMbAfterDrop", 0));
    assertEquals("page cache dropped, store cached 225 -> 0 MB", ResultTable.note(dropStep));
    ScenarioResult nullBroker = result("null", "drain-cold", "drain", 100_000, 0, 1024, Map.of("fillPerSec", 90_000,
        "backlog", 100_000, "brokerRestarted", false));
    assertEquals("backlog 100000 filled at 90000 msg/s; broker not restarted, page cache not dropped",
        ResultTable.note(nullBroker));
  }

  @Test
  void repeatedRoundsAreSummarisedByTheirMedian() {
    List<ScenarioResult> rounds = List.of(
        result("tern", "async", "async-send", 50_000, 1, 1, Map.of()),
        result("tern", "async", "async-send", 10_000, 1, 1, Map.of()),
        result("tern", "async", "async-send", 60_000, 1, 1, Map.of()));
    assertEquals(50_000, Comparison.median(rounds, Metric.THROUGHPUT));
    assertEquals(30_000, Comparison.median(rounds.subList(0, 2), Metric.THROUGHPUT));
    assertTrue(Double.isNaN(Comparison.median(List.of(), Metric.THROUGHPUT)));
  }

  @Test
  void aMissingSideGivesNoRatio() {
    List<ComparisonRow> rows = Comparison.rows(
        List.of(result("tern", "sync-1", "sync-send", 4_000, 300, 1, Map.of())), List.of(), Target.ISSUE_TARGETS);
    assertTrue(Double.isNaN(row(rows, "sync-1", Metric.THROUGHPUT).ratio()));
    assertTrue(ComparisonTable.text(rows, "tern", "peer").contains("sync-1"));
  }

  @Test
  void tablesShowLatenciesInMillisecondsAndTheScenarioNote() {
    String table = ResultTable.format(List.of(
        result("peer", "startup", "startup", 0, 0, 2048, Map.of("startupMs", 3_400,
            "timelineMs", Map.of("brokerListening", 2_000, "brokerRegistered", 3_000))),
        result("peer", "sync-32", "sync-send", 19_000, 5_600, 2048, Map.of())));
    assertTrue(table.contains("start-up to route 3400 ms (port open 2000 ms, registered 3000 ms)"), table);
    assertTrue(table.contains("5.60"), table);
    String markdown = ComparisonTable.markdown(List.of(new ComparisonRow("async", Metric.THROUGHPUT, 60_000,
        37_000, Target.find(Target.ISSUE_TARGETS, "async", Metric.THROUGHPUT))), "tern", "rocketmq-5.3.3");
    assertTrue(markdown.contains("| async | msg/s | 60,000 | 37,000 | 1.62x | ≥ 1.5x | yes |"), markdown);
  }

  @Test
  void observingShowsIdleCpu() {
    ScenarioResult idle = new ScenarioResult("tern", "memory", "observe", Map.of(), 0, 0, 2_000, 0,
        LatencySummary.EMPTY, 0, 1024, List.of(new ProcessUsage(1, "broker", 50, 1024, 1024, 2048, true)), Map.of());
    assertEquals("idle CPU 2.5% of a core", ResultTable.note(idle));
  }

  @Test
  void multiLineErrorsBecomeOneShortTableCell() {
    String note = ResultTable.oneLine("CODE: 2 DESC: broker busy\nFor more information, see the FAQ", 40);
    assertEquals("CODE: 2 DESC: broker busy For more in...", note);
    assertEquals(40, note.length());
  }

  @Test
  void docsSectionIsReplacedBetweenMarkersOnly() {
    String doc = "# Performance\nintro\n" + DocsSection.BEGIN + "\nold\n" + DocsSection.END + "\noutro\n";
    String updated = DocsSection.replace(doc, "new table");
    assertEquals("# Performance\nintro\n" + DocsSection.BEGIN + "\nnew table\n" + DocsSection.END + "\noutro\n",
        updated);
    assertTrue(DocsSection.replace("# P\n", "t").endsWith(DocsSection.BEGIN + "\nt\n" + DocsSection.END + "\n"));
  }

  private static ComparisonRow row(List<ComparisonRow> rows, String scenario, Metric metric) {
    return rows.stream().filter(r -> r.scenario().equals(scenario) && r.metric() == metric).findFirst()
        .orElseThrow(() -> new AssertionError("no row " + scenario + " " + metric + " in " + rows));
  }
}

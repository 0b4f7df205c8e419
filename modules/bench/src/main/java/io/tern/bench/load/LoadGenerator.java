package io.tern.bench.load;

import io.tern.bench.load.client.RocketClients;
import io.tern.bench.load.scenario.AsyncSendScenario;
import io.tern.bench.load.scenario.BacklogDrainScenario;
import io.tern.bench.load.scenario.ColdDrainPhases;
import io.tern.bench.load.scenario.EndToEndLatencyScenario;
import io.tern.bench.load.scenario.ObserveScenario;
import io.tern.bench.load.scenario.OnewaySendScenario;
import io.tern.bench.load.scenario.StartupScenario;
import io.tern.bench.load.scenario.SyncSendScenario;
import io.tern.bench.proc.ProcFs;
import io.tern.bench.proc.WatchedProcess;
import io.tern.bench.report.ResultJson;
import io.tern.bench.report.ResultTable;
import io.tern.bench.report.ScenarioResult;
import java.nio.file.Path;
import java.util.List;

/**
 * Drives any broker that speaks RocketMQ's remoting protocol, found by its nameserver address,
 * with the official 4.9 client: one scenario per invocation, result printed as a table row
 * and optionally written as JSON. Exit status: 0 done, 1 nothing got through, 2 bad usage or
 * the scenario failed.
 */
public final class LoadGenerator {

  private LoadGenerator() {
  }

  public static void main(String[] args) {
    // The 4.9 client logs to ~/logs/rocketmqlogs by default; keep benchmark runs self-contained.
    System.setProperty("rocketmq.client.logRoot", System.getProperty("rocketmq.client.logRoot",
        Path.of(System.getProperty("java.io.tmpdir"), "tern-bench-client-logs").toString()));
    System.setProperty("rocketmq.client.logLevel", System.getProperty("rocketmq.client.logLevel", "WARN"));
    if (args.length == 1 && (args[0].equals("--help") || args[0].equals("-h"))) {
      System.out.print(LoadOptionsParser.USAGE);
      return;
    }
    LoadOptions options;
    try {
      options = LoadOptionsParser.parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println("error: " + e.getMessage());
      System.err.print(LoadOptionsParser.USAGE);
      System.exit(2);
      return;
    }
    System.exit(run(options));
  }

  static int run(LoadOptions options) {
    long runId = System.currentTimeMillis() * 1000 + ProcessHandle.current().pid() % 1000;
    RocketClients clients = new RocketClients(options.namesrv(), Long.toString(runId, 36), options.clientCallbacks());
    ScenarioContext ctx = new ScenarioContext(options, clients, new ProcFs(), WatchedProcess.parseList(options.pids()),
        runId);
    try {
      ScenarioResult result = scenario(ctx).run();
      System.out.print(ResultTable.format(List.of(result)));
      if (options.json() != null) {
        ResultJson.write(result, options.json());
      }
      boolean sends = options.kind() != ScenarioKind.STARTUP && options.kind() != ScenarioKind.OBSERVE
          && options.phase() != DrainPhase.DROP;
      return sends && result.messages() == 0 ? 1 : 0;
    } catch (Exception e) {
      System.err.println("scenario " + options.scenarioName() + " against " + options.namesrv() + " failed: " + e);
      e.printStackTrace();
      return 2;
    }
  }

  private static Scenario scenario(ScenarioContext ctx) {
    return switch (ctx.options().kind()) {
      case SYNC_SEND -> new SyncSendScenario(ctx);
      case ASYNC_SEND -> new AsyncSendScenario(ctx);
      case ONEWAY_SEND -> new OnewaySendScenario(ctx);
      case DRAIN -> ctx.options().phase() == DrainPhase.ALL ? new BacklogDrainScenario(ctx) : new ColdDrainPhases(ctx);
      case E2E -> new EndToEndLatencyScenario(ctx);
      case STARTUP -> new StartupScenario(ctx);
      case OBSERVE -> new ObserveScenario(ctx);
    };
  }
}

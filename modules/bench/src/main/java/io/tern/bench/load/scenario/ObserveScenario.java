package io.tern.bench.load.scenario;

import io.tern.bench.load.MeasuredPhase;
import io.tern.bench.load.Results;
import io.tern.bench.load.Scenario;
import io.tern.bench.load.ScenarioContext;
import io.tern.bench.metrics.LatencySummary;
import io.tern.bench.proc.ProcessUsage;
import io.tern.bench.report.ScenarioResult;
import java.util.LinkedHashMap;
import java.util.List;

/**
 * Sends nothing; samples the watched processes for --duration. Run after the load scenarios it
 * shows the memory a broker keeps once the load is gone, and its idle CPU.
 */
public final class ObserveScenario implements Scenario {

  private final ScenarioContext ctx;

  public ObserveScenario(ScenarioContext ctx) {
    this.ctx = ctx;
  }

  @Override
  public ScenarioResult run() throws Exception {
    MeasuredPhase phase = ctx.startPhase();
    Thread.sleep(ctx.options().durationMs());
    List<ProcessUsage> usages = phase.finish();
    return Results.of(ctx.options(), 0, 0, phase.durationNanos(), LatencySummary.EMPTY, usages, new LinkedHashMap<>());
  }
}

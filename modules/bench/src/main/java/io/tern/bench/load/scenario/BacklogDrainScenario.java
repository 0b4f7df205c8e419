package io.tern.bench.load.scenario;

import io.tern.bench.load.Scenario;
import io.tern.bench.load.ScenarioContext;
import io.tern.bench.report.ScenarioResult;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The warm drain ({@code --phase all}): fills the topic with a backlog of --count messages (async, max rate; reported
 * as extra numbers), then starts a push consumer of a new group from the first offset and times it from start until
 * the whole backlog has been delivered, the broker untouched in between. The topic should be fresh: messages of
 * earlier runs are consumed but not counted. The cold drain splits this into phases: {@link ColdDrainPhases}.
 */
public final class BacklogDrainScenario implements Scenario {

  private final ScenarioContext ctx;

  public BacklogDrainScenario(ScenarioContext ctx) {
    this.ctx = ctx;
  }

  @Override
  public ScenarioResult run() throws Exception {
    ctx.ensureTopic();
    Map<String, Object> extra = new LinkedHashMap<>();
    long backlog = BacklogFill.send(ctx, extra);
    return TimedDrain.run(ctx, ctx.runId(), backlog, extra);
  }
}

package io.tern.bench.load.scenario;

import io.tern.bench.load.AsyncSender;
import io.tern.bench.load.LoadOptions;
import io.tern.bench.load.MeasuredPhase;
import io.tern.bench.load.RatePacer;
import io.tern.bench.load.Results;
import io.tern.bench.load.RunBounds;
import io.tern.bench.load.Scenario;
import io.tern.bench.load.ScenarioContext;
import io.tern.bench.load.SendCounters;
import io.tern.bench.metrics.LatencyRecorder;
import io.tern.bench.proc.ProcessUsage;
import io.tern.bench.report.ScenarioResult;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.rocketmq.client.producer.DefaultMQProducer;

/** One producer sending asynchronously with a bounded number of sends in flight. */
public final class AsyncSendScenario implements Scenario {

  private final ScenarioContext ctx;

  public AsyncSendScenario(ScenarioContext ctx) {
    this.ctx = ctx;
  }

  @Override
  public ScenarioResult run() throws Exception {
    LoadOptions o = ctx.options();
    ctx.ensureTopic();
    DefaultMQProducer producer = ctx.clients().startProducer("async");
    try {
      AsyncSender sender = new AsyncSender(producer, ctx.messages(), o.inflight());
      // Many topics: one send to each first, so every route is fetched before the timed warm-up begins.
      if (o.topics() > 1) {
        sender.run(RunBounds.of(o.topics(), ScenarioContext.TOPIC_TIMEOUT_MS), RatePacer.of(0), new SendCounters(),
            new LatencyRecorder(), false);
      }
      sender.run(RunBounds.of(0, o.warmupMs()), RatePacer.of(o.ratePerSec()), new SendCounters(),
          new LatencyRecorder(), false);

      SendCounters counters = new SendCounters();
      LatencyRecorder latency = new LatencyRecorder();
      MeasuredPhase phase = ctx.startPhase();
      sender.run(RunBounds.of(o.count(), o.durationMs()), RatePacer.of(o.ratePerSec()), counters, latency, true);
      List<ProcessUsage> usages = phase.finish();

      Map<String, Object> extra = new LinkedHashMap<>();
      extra.put("firstError", counters.firstError());
      return Results.of(o, counters.ok(), counters.errors(), phase.durationNanos(), latency.summary(), usages, extra);
    } finally {
      producer.shutdown();
    }
  }
}

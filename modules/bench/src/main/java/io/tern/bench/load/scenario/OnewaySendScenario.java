package io.tern.bench.load.scenario;

import io.tern.bench.load.BenchMessages;
import io.tern.bench.load.LoadOptions;
import io.tern.bench.load.MeasuredPhase;
import io.tern.bench.load.RatePacer;
import io.tern.bench.load.Results;
import io.tern.bench.load.RunBounds;
import io.tern.bench.load.Scenario;
import io.tern.bench.load.ScenarioContext;
import io.tern.bench.load.SendCounters;
import io.tern.bench.load.SenderThreads;
import io.tern.bench.metrics.LatencyRecorder;
import io.tern.bench.proc.ProcessUsage;
import io.tern.bench.report.ScenarioResult;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.rocketmq.client.producer.DefaultMQProducer;

/**
 * --threads threads send oneway: the broker never answers, so throughput is what the client
 * could push into the socket and latency is only the time of the send call. Reported for
 * completeness; the broker's CPU per message is the interesting number here.
 */
public final class OnewaySendScenario implements Scenario {

  private final ScenarioContext ctx;

  public OnewaySendScenario(ScenarioContext ctx) {
    this.ctx = ctx;
  }

  @Override
  public ScenarioResult run() throws Exception {
    LoadOptions o = ctx.options();
    ctx.ensureTopic();
    DefaultMQProducer producer = ctx.clients().startProducer("oneway");
    try {
      BenchMessages messages = ctx.messages();
      sendPhase(producer, messages, RunBounds.of(0, o.warmupMs()), new SendCounters(), new LatencyRecorder());

      SendCounters counters = new SendCounters();
      LatencyRecorder latency = new LatencyRecorder();
      MeasuredPhase phase = ctx.startPhase();
      sendPhase(producer, messages, RunBounds.of(o.count(), o.durationMs()), counters, latency);
      List<ProcessUsage> usages = phase.finish();

      Map<String, Object> extra = new LinkedHashMap<>();
      extra.put("latencyIs", "duration of the oneway send call");
      extra.put("firstError", counters.firstError());
      return Results.of(o, counters.ok(), counters.errors(), phase.durationNanos(), latency.summary(), usages, extra);
    } finally {
      producer.shutdown();
    }
  }

  private void sendPhase(DefaultMQProducer producer, BenchMessages messages, RunBounds bounds,
                         SendCounters counters, LatencyRecorder latency) throws InterruptedException {
    RatePacer pacer = RatePacer.of(ctx.options().ratePerSec());
    SenderThreads.run("oneway-sender", ctx.options().threads(), bounds, pacer, counters, (seq, due) -> {
      producer.sendOneway(messages.create(seq, due, true));
      latency.recordNanos(System.nanoTime() - due);
      counters.success();
    });
  }
}

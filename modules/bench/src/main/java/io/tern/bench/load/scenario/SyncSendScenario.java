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
import org.apache.rocketmq.client.producer.SendResult;
import org.apache.rocketmq.client.producer.SendStatus;

/**
 * --threads threads share one producer and each sends and waits for SEND_OK, the way most
 * applications use RocketMQ. Latency: due time to answer. Anything but SEND_OK (for example
 * FLUSH_DISK_TIMEOUT under SYNC_FLUSH) counts as an error.
 */
public final class SyncSendScenario implements Scenario {

  private final ScenarioContext ctx;

  public SyncSendScenario(ScenarioContext ctx) {
    this.ctx = ctx;
  }

  @Override
  public ScenarioResult run() throws Exception {
    LoadOptions o = ctx.options();
    ctx.ensureTopic();
    DefaultMQProducer producer = ctx.clients().startProducer("sync");
    try {
      BenchMessages messages = ctx.messages();
      // Many topics: one send to each first, so every route is fetched before the timed warm-up begins.
      if (o.topics() > 1) {
        sendPhase(producer, messages, RunBounds.of(o.topics(), ScenarioContext.TOPIC_TIMEOUT_MS), new SendCounters(),
            new LatencyRecorder(), false);
      }
      sendPhase(producer, messages, RunBounds.of(0, o.warmupMs()), new SendCounters(), new LatencyRecorder(), false);

      SendCounters counters = new SendCounters();
      LatencyRecorder latency = new LatencyRecorder();
      MeasuredPhase phase = ctx.startPhase();
      sendPhase(producer, messages, RunBounds.of(o.count(), o.durationMs()), counters, latency, true);
      List<ProcessUsage> usages = phase.finish();

      Map<String, Object> extra = new LinkedHashMap<>();
      extra.put("firstError", counters.firstError());
      return Results.of(o, counters.ok(), counters.errors(), phase.durationNanos(), latency.summary(), usages, extra);
    } finally {
      producer.shutdown();
    }
  }

  private void sendPhase(DefaultMQProducer producer, BenchMessages messages, RunBounds bounds,
                         SendCounters counters, LatencyRecorder latency, boolean measured)
      throws InterruptedException {
    RatePacer pacer = RatePacer.of(ctx.options().ratePerSec());
    SenderThreads.run("sync-sender", ctx.options().threads(), bounds, pacer, counters, (seq, due) -> {
      SendResult result = producer.send(messages.create(seq, due, measured));
      latency.recordNanos(System.nanoTime() - due);
      if (result.getSendStatus() == SendStatus.SEND_OK) {
        counters.success();
      } else {
        counters.failure("send status " + result.getSendStatus());
      }
    });
  }
}

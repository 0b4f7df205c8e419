package io.tern.bench.load.scenario;

import io.tern.bench.load.LoadOptions;
import io.tern.bench.load.MeasuredPhase;
import io.tern.bench.load.Results;
import io.tern.bench.load.RunMessageCounter;
import io.tern.bench.load.ScenarioContext;
import io.tern.bench.metrics.LatencySummary;
import io.tern.bench.proc.ProcessUsage;
import io.tern.bench.report.ScenarioResult;
import java.util.List;
import java.util.Map;
import org.apache.rocketmq.client.consumer.DefaultMQPushConsumer;
import org.apache.rocketmq.client.consumer.listener.ConsumeConcurrentlyStatus;
import org.apache.rocketmq.client.consumer.listener.MessageListenerConcurrently;

/**
 * The measured part of a drain: a push consumer of a new group, from the first offset, timed from its start until the
 * last message of the backlog arrived. Only messages stamped with the fill's run id count; others on the topic are
 * consumed but not counted.
 */
final class TimedDrain {

  /** A drain that delivers nothing new for this long has failed; the time bound may be minutes. */
  private static final long STALL_MS = 30_000;

  private TimedDrain() {
  }

  static ScenarioResult run(ScenarioContext ctx, long fillRunId, long backlog, Map<String, Object> extra)
      throws Exception {
    LoadOptions o = ctx.options();
    RunMessageCounter counter = new RunMessageCounter(fillRunId);
    counter.expect(backlog);
    DefaultMQPushConsumer consumer = ctx.clients().pushConsumer("drain", o.topic());
    consumer.registerMessageListener((MessageListenerConcurrently) (batch, context) -> {
      counter.count(batch, System.nanoTime());
      return ConsumeConcurrentlyStatus.CONSUME_SUCCESS;
    });
    MeasuredPhase phase = ctx.startPhase();
    try {
      ctx.clients().start(consumer);
      boolean complete = counter.awaitWhileProgressing(o.durationMs(), STALL_MS);
      List<ProcessUsage> usages = phase.finishAt(complete ? counter.lastNanos() : System.nanoTime());
      extra.put("backlog", backlog);
      extra.put("complete", complete);
      extra.put("firstMessageAfterMs",
          counter.firstNanos() == 0 ? -1 : (counter.firstNanos() - phase.startNanos()) / 1_000_000);
      return Results.of(o, counter.received(), complete ? 0 : backlog - counter.received(),
          phase.durationNanos(), LatencySummary.EMPTY, usages, extra);
    } finally {
      consumer.shutdown();
    }
  }
}

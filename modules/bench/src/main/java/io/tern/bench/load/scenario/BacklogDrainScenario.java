package io.tern.bench.load.scenario;

import io.tern.bench.load.AsyncSender;
import io.tern.bench.load.BenchMessages;
import io.tern.bench.load.LoadOptions;
import io.tern.bench.load.MeasuredPhase;
import io.tern.bench.load.RatePacer;
import io.tern.bench.load.Results;
import io.tern.bench.load.RunBounds;
import io.tern.bench.load.RunMessageCounter;
import io.tern.bench.load.Scenario;
import io.tern.bench.load.ScenarioContext;
import io.tern.bench.load.SendCounters;
import io.tern.bench.metrics.LatencyRecorder;
import io.tern.bench.metrics.LatencySummary;
import io.tern.bench.proc.PageCache;
import io.tern.bench.proc.ProcessUsage;
import io.tern.bench.report.ScenarioResult;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.rocketmq.client.consumer.DefaultMQPushConsumer;
import org.apache.rocketmq.client.consumer.listener.ConsumeConcurrentlyStatus;
import org.apache.rocketmq.client.consumer.listener.MessageListenerConcurrently;
import org.apache.rocketmq.client.producer.DefaultMQProducer;

/**
 * Fills the topic with a backlog of --count messages (async, max rate; reported as extra
 * numbers), then starts a push consumer of a new group from the first offset and times it
 * from start until the whole backlog has been delivered. The topic should be fresh: messages of
 * earlier runs are consumed but not counted.
 *
 * <p>With --drop-caches the backlog is cold: after the fill the machine's page cache is dropped
 * ({@link PageCache}) before the consumer starts. Whether that happened, and how much of the broker's store
 * (--store-dir) was still cached before and after, are in the extras: a drop the kernel refused, or pages a
 * broker keeps mapped, leave the drain warmer than its name says, and the result says so.
 */
public final class BacklogDrainScenario implements Scenario {

  /** A drain that delivers nothing new for this long has failed; the time bound may be minutes. */
  private static final long STALL_MS = 30_000;

  private final ScenarioContext ctx;

  public BacklogDrainScenario(ScenarioContext ctx) {
    this.ctx = ctx;
  }

  @Override
  public ScenarioResult run() throws Exception {
    LoadOptions o = ctx.options();
    ctx.ensureTopic();
    Map<String, Object> extra = new LinkedHashMap<>();
    long backlog = fill(o, extra);
    if (o.dropCaches()) {
      dropCaches(o, extra);
    }

    RunMessageCounter counter = new RunMessageCounter(ctx.runId());
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
      extra.put("firstMessageAfterMs", counter.firstNanos() == 0 ? -1 : (counter.firstNanos() - phase.startNanos()) / 1_000_000);
      return Results.of(o, counter.received(), complete ? 0 : backlog - counter.received(),
          phase.durationNanos(), LatencySummary.EMPTY, usages, extra);
    } finally {
      consumer.shutdown();
    }
  }

  private static void dropCaches(LoadOptions o, Map<String, Object> extra) {
    PageCache cache = new PageCache();
    long before = cache.cachedBytes(o.storeDir());
    Optional<String> failure = cache.dropAll();
    long after = cache.cachedBytes(o.storeDir());
    extra.put("pageCacheDropped", failure.isEmpty());
    failure.ifPresent(why -> extra.put("pageCacheNotDropped", why));
    if (before >= 0 && after >= 0) {
      extra.put("storeCachedMbBeforeDrop", Math.round(before / 1048576.0));
      extra.put("storeCachedMbAfterDrop", Math.round(after / 1048576.0));
    }
  }

  /** Sends the backlog; returns how many messages the broker accepted. */
  private long fill(LoadOptions o, Map<String, Object> extra) throws Exception {
    DefaultMQProducer producer = ctx.clients().startProducer("fill");
    try {
      BenchMessages messages = ctx.messages();
      SendCounters counters = new SendCounters();
      LatencyRecorder latency = new LatencyRecorder();
      long start = System.nanoTime();
      new AsyncSender(producer, messages, o.inflight())
          .run(RunBounds.of(o.count(), o.durationMs()), RatePacer.of(0), counters, latency, true);
      double seconds = (System.nanoTime() - start) / 1e9;
      extra.put("fillMessages", counters.ok());
      extra.put("fillErrors", counters.errors());
      extra.put("fillPerSec", Math.round(counters.ok() / seconds));
      extra.put("fillFirstError", counters.firstError());
      return counters.ok();
    } finally {
      producer.shutdown();
    }
  }
}

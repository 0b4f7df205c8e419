package io.tern.bench.load.scenario;

import io.tern.bench.load.AsyncSender;
import io.tern.bench.load.BenchMessages;
import io.tern.bench.load.LoadOptions;
import io.tern.bench.load.MeasuredPhase;
import io.tern.bench.load.RatePacer;
import io.tern.bench.load.Results;
import io.tern.bench.load.RunBounds;
import io.tern.bench.load.Scenario;
import io.tern.bench.load.ScenarioContext;
import io.tern.bench.load.SendCounters;
import io.tern.bench.load.client.ConsumerAssignment;
import io.tern.bench.metrics.LatencyRecorder;
import io.tern.bench.proc.ProcessUsage;
import io.tern.bench.report.ScenarioResult;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.rocketmq.client.consumer.DefaultMQPushConsumer;
import org.apache.rocketmq.client.consumer.listener.ConsumeConcurrentlyStatus;
import org.apache.rocketmq.client.consumer.listener.MessageListenerConcurrently;
import org.apache.rocketmq.client.producer.DefaultMQProducer;
import org.apache.rocketmq.common.message.MessageExt;

/**
 * Producer at a fixed --rate (async sends, at most --inflight outstanding) and a push consumer in the
 * same JVM; the latency is from the message's due time, stamped in its body, to the consumer's
 * listener. The consumer is started and assigned all queues before the first send, and
 * warm-up messages are delivered but not recorded.
 *
 * <p>With --groups N (fan-out) there are N push consumers, each of its own group, so every message is delivered N
 * times; the latency histogram holds every delivery, and the result's messages, throughput and broker CPU per
 * message count deliveries (the sends are in the extras).
 */
public final class EndToEndLatencyScenario implements Scenario {

  private static final long ASSIGNMENT_TIMEOUT_MS = 60_000;
  /** How long stragglers may take to arrive after the last send before they count as lost. */
  private static final long DELIVERY_GRACE_MS = 10_000;

  private final ScenarioContext ctx;
  private final LatencyRecorder endToEnd = new LatencyRecorder();
  /** Where the end-to-end time goes, from the wall-clock stamps the protocol carries (millisecond resolution). */
  private final LatencyRecorder bornToStored = new LatencyRecorder();
  private final LatencyRecorder storedToListener = new LatencyRecorder();
  private final LatencyRecorder dueToBorn = new LatencyRecorder();
  private final AtomicLong measuredReceived = new AtomicLong();

  public EndToEndLatencyScenario(ScenarioContext ctx) {
    this.ctx = ctx;
  }

  @Override
  public ScenarioResult run() throws Exception {
    LoadOptions o = ctx.options();
    ctx.ensureTopic();
    List<DefaultMQPushConsumer> consumers = new ArrayList<>();
    DefaultMQProducer producer = null;
    try {
      for (int g = 0; g < o.groups(); g++) {
        DefaultMQPushConsumer consumer = ctx.clients().pushConsumer(o.groups() == 1 ? "e2e" : "fanout-g" + g,
            o.topic());
        consumer.registerMessageListener((MessageListenerConcurrently) (batch, context) -> {
          onMessages(batch, System.nanoTime(), System.currentTimeMillis());
          return ConsumeConcurrentlyStatus.CONSUME_SUCCESS;
        });
        consumers.add(consumer);
        ctx.clients().start(consumer);
      }
      for (DefaultMQPushConsumer consumer : consumers) {
        if (!ConsumerAssignment.await(consumer, o.queues(), ASSIGNMENT_TIMEOUT_MS)) {
          throw new IllegalStateException("push consumer " + consumer.getConsumerGroup() + " got "
              + ConsumerAssignment.assigned(consumer) + " of " + o.queues() + " queues within "
              + ASSIGNMENT_TIMEOUT_MS + " ms");
        }
      }
      producer = ctx.clients().startProducer("e2e");
      BenchMessages messages = ctx.messages();
      sendPhase(producer, messages, RunBounds.of(0, o.warmupMs()), new SendCounters(), new LatencyRecorder(), false);

      SendCounters counters = new SendCounters();
      LatencyRecorder sendLatency = new LatencyRecorder();
      MeasuredPhase phase = ctx.startPhase();
      sendPhase(producer, messages, RunBounds.of(o.count(), o.durationMs()), counters, sendLatency, true);
      long sendEnd = System.nanoTime();
      long deliveries = counters.ok() * o.groups();
      boolean allArrived = awaitDelivery(deliveries);
      List<ProcessUsage> usages = phase.finish();

      Map<String, Object> extra = new LinkedHashMap<>();
      extra.put("latencyIs", "due time stamped in the body -> consumer listener");
      extra.put("sendLatency", sendLatency.summary());
      extra.put("dueToBorn", dueToBorn.summary());
      extra.put("bornToStored", bornToStored.summary());
      extra.put("storedToListener", storedToListener.summary());
      extra.put("achievedSendPerSec", Math.round(counters.ok() / ((sendEnd - phase.startNanos()) / 1e9)));
      extra.put("received", measuredReceived.get());
      extra.put("lost", allArrived ? 0 : deliveries - measuredReceived.get());
      extra.put("firstError", counters.firstError());
      if (o.groups() > 1) {
        extra.put("fanOutGroups", o.groups());
        extra.put("sent", counters.ok());
        extra.put("messagesAre", "deliveries: each send counts once per group that received it");
      }
      long counted = o.groups() == 1 ? counters.ok() : measuredReceived.get();
      return Results.of(o, counted, counters.errors(), sendEnd - phase.startNanos(), endToEnd.summary(),
          usages, extra);
    } finally {
      if (producer != null) {
        producer.shutdown();
      }
      consumers.forEach(DefaultMQPushConsumer::shutdown);
    }
  }

  private void onMessages(List<MessageExt> batch, long nowNanos, long nowMillis) {
    for (MessageExt m : batch) {
      byte[] body = m.getBody();
      if (BenchMessages.runId(body) == ctx.runId() && BenchMessages.measured(body)) {
        long endToEndNanos = nowNanos - BenchMessages.stampNanos(body);
        endToEnd.recordNanos(endToEndNanos);
        long dueMillis = nowMillis - endToEndNanos / 1_000_000;
        dueToBorn.recordNanos((m.getBornTimestamp() - dueMillis) * 1_000_000);
        bornToStored.recordNanos((m.getStoreTimestamp() - m.getBornTimestamp()) * 1_000_000);
        storedToListener.recordNanos((nowMillis - m.getStoreTimestamp()) * 1_000_000);
        measuredReceived.incrementAndGet();
      }
    }
  }

  private boolean awaitDelivery(long expected) throws InterruptedException {
    long deadline = System.nanoTime() + DELIVERY_GRACE_MS * 1_000_000;
    while (measuredReceived.get() < expected) {
      if (System.nanoTime() - deadline > 0) {
        return false;
      }
      Thread.sleep(5);
    }
    return true;
  }

  private void sendPhase(DefaultMQProducer producer, BenchMessages messages, RunBounds bounds,
                         SendCounters counters, LatencyRecorder latency, boolean measured)
      throws InterruptedException {
    new AsyncSender(producer, messages, ctx.options().inflight())
        .run(bounds, RatePacer.of(ctx.options().ratePerSec()), counters, latency, measured);
  }
}

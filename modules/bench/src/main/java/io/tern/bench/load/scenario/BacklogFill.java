package io.tern.bench.load.scenario;

import io.tern.bench.load.AsyncSender;
import io.tern.bench.load.LoadOptions;
import io.tern.bench.load.RatePacer;
import io.tern.bench.load.RunBounds;
import io.tern.bench.load.ScenarioContext;
import io.tern.bench.load.SendCounters;
import io.tern.bench.metrics.LatencyRecorder;
import java.util.Map;
import org.apache.rocketmq.client.producer.DefaultMQProducer;

/** Sends a drain's backlog: --count messages stamped with the run id, async at max rate (--inflight outstanding). */
final class BacklogFill {

  private BacklogFill() {
  }

  /** Sends the backlog; returns how many messages the broker accepted and records the fill's numbers in extra. */
  static long send(ScenarioContext ctx, Map<String, Object> extra) throws Exception {
    LoadOptions o = ctx.options();
    DefaultMQProducer producer = ctx.clients().startProducer("fill");
    try {
      SendCounters counters = new SendCounters();
      long start = System.nanoTime();
      new AsyncSender(producer, ctx.messages(), o.inflight())
          .run(RunBounds.of(o.count(), o.durationMs()), RatePacer.of(0), counters, new LatencyRecorder(), true);
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

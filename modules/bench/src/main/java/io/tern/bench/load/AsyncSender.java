package io.tern.bench.load;

import io.tern.bench.metrics.LatencyRecorder;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.apache.rocketmq.client.producer.DefaultMQProducer;
import org.apache.rocketmq.client.producer.SendCallback;
import org.apache.rocketmq.client.producer.SendResult;
import org.apache.rocketmq.client.producer.SendStatus;

/**
 * Sends asynchronously from the calling thread with at most {@code inflight} sends outstanding,
 * and returns once every send of the phase has been answered. The bound is what keeps a
 * max-rate run from queueing unboundedly inside the client and measuring its queue instead of
 * the broker.
 */
public final class AsyncSender {

  private static final long ANSWER_TIMEOUT_SECONDS = 30;

  private final DefaultMQProducer producer;
  private final BenchMessages messages;
  private final int inflight;

  public AsyncSender(DefaultMQProducer producer, BenchMessages messages, int inflight) {
    this.producer = producer;
    this.messages = messages;
    this.inflight = inflight;
  }

  public void run(RunBounds bounds, RatePacer pacer, SendCounters counters, LatencyRecorder latency,
                  boolean measured) throws InterruptedException {
    Semaphore permits = new Semaphore(inflight);
    long seq;
    while ((seq = bounds.claim()) >= 0) {
      permits.acquire();
      long due = pacer.awaitDue(seq);
      try {
        producer.send(messages.create(seq, due, measured), new SendCallback() {
          @Override
          public void onSuccess(SendResult result) {
            latency.recordNanos(System.nanoTime() - due);
            if (result.getSendStatus() == SendStatus.SEND_OK) {
              counters.success();
            } else {
              counters.failure("send status " + result.getSendStatus());
            }
            permits.release();
          }

          @Override
          public void onException(Throwable e) {
            counters.failure(e.toString());
            permits.release();
          }
        });
      } catch (Exception e) {
        permits.release();
        counters.failure(e.toString());
      }
      if (counters.failing()) {
        bounds.stop();
      }
    }
    if (!permits.tryAcquire(inflight, ANSWER_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
      counters.failure("sends still unanswered " + ANSWER_TIMEOUT_SECONDS + " s after the phase ended");
    }
  }
}

package io.tern.bench.load;

import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.rocketmq.common.message.MessageExt;

/**
 * Counts consumed messages of this run (by run id in the body) until an expected number has
 * arrived, and remembers when the first and the last of them did. Called from the consumer's
 * listener threads.
 */
public final class RunMessageCounter {

  private static final long CHECK_INTERVAL_MS = 200;

  private final long runId;
  private final AtomicLong received = new AtomicLong();
  private final CountDownLatch done = new CountDownLatch(1);
  private volatile long expected = Long.MAX_VALUE;
  private volatile long firstNanos;
  private volatile long lastNanos;

  public RunMessageCounter(long runId) {
    this.runId = runId;
  }

  /** Sets how many messages make the run complete; may be called after counting started. */
  public void expect(long count) {
    expected = count;
    if (received.get() >= count) {
      done.countDown();
    }
  }

  /** Counts the messages of this run in {@code batch}; returns how many there were. */
  public int count(List<MessageExt> batch, long nowNanos) {
    int ours = 0;
    for (MessageExt m : batch) {
      if (BenchMessages.runId(m.getBody()) == runId) {
        ours++;
      }
    }
    if (ours > 0) {
      if (firstNanos == 0) {
        firstNanos = nowNanos;
      }
      long total = received.addAndGet(ours);
      lastNanos = nowNanos;
      if (total >= expected) {
        done.countDown();
      }
    }
    return ours;
  }

  /** Waits until the expected count arrived; false on timeout. */
  public boolean await(long timeoutMs) throws InterruptedException {
    return done.await(timeoutMs, TimeUnit.MILLISECONDS);
  }

  /**
   * Waits until the expected count arrived, giving up after {@code timeoutMs} in total or after
   * {@code stallMs} without a single new message (a consumer that never got its queues, or a
   * broker that stopped answering pulls, should not hold a benchmark for its whole time bound).
   */
  public boolean awaitWhileProgressing(long timeoutMs, long stallMs) throws InterruptedException {
    long deadline = System.nanoTime() + timeoutMs * 1_000_000;
    long lastCount = -1;
    long lastProgress = System.nanoTime();
    while (System.nanoTime() - deadline < 0) {
      if (done.await(Math.min(CHECK_INTERVAL_MS, timeoutMs), TimeUnit.MILLISECONDS)) {
        return true;
      }
      long now = System.nanoTime();
      long count = received.get();
      if (count != lastCount) {
        lastCount = count;
        lastProgress = now;
      } else if (now - lastProgress > stallMs * 1_000_000) {
        return false;
      }
    }
    return done.getCount() == 0;
  }

  public long received() {
    return received.get();
  }

  public long firstNanos() {
    return firstNanos;
  }

  public long lastNanos() {
    return lastNanos;
  }
}

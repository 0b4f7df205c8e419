package io.tern.bench.load;

import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * Hands out message sequence numbers until a count or a deadline is reached, whichever comes
 * first, so every phase stops by itself. Thread-safe: sender threads claim from one instance.
 */
public final class RunBounds {

  private final long maxCount;
  private final long deadlineNanos;
  private final LongSupplier nanoClock;
  private final AtomicLong next = new AtomicLong();
  private volatile boolean stopped;

  /**
   * @param maxCount   messages to hand out; 0 = no count bound
   * @param durationMs time bound, from now
   * @param nanoClock  monotonic clock, System::nanoTime outside tests
   */
  public RunBounds(long maxCount, long durationMs, LongSupplier nanoClock) {
    this.maxCount = maxCount == 0 ? Long.MAX_VALUE : maxCount;
    this.nanoClock = nanoClock;
    this.deadlineNanos = nanoClock.getAsLong() + durationMs * 1_000_000;
  }

  public static RunBounds of(long maxCount, long durationMs) {
    return new RunBounds(maxCount, durationMs, System::nanoTime);
  }

  /** The next sequence number (0, 1, ...), or -1 when the phase is over. */
  public long claim() {
    if (stopped || nanoClock.getAsLong() - deadlineNanos >= 0) {
      return -1;
    }
    long seq = next.getAndIncrement();
    return seq < maxCount ? seq : -1;
  }

  /** Ends the phase early, e.g. because the broker only answers with errors. */
  public void stop() {
    stopped = true;
  }

  public boolean isStopped() {
    return stopped;
  }
}

package io.tern.bench.load;

import java.util.concurrent.locks.LockSupport;
import java.util.function.LongSupplier;

/**
 * Spaces sends at a fixed total rate: message {@code seq} is due at
 * {@code start + seq / rate}. Latencies are measured from that due time, not from when the
 * sender got round to it, so a stalled broker cannot hide its stall by slowing the senders
 * (coordinated omission). A rate of 0 means as fast as possible: every message is due now.
 */
public final class RatePacer {

  private final int ratePerSec;
  private final long startNanos;
  private final LongSupplier nanoClock;

  public RatePacer(int ratePerSec, LongSupplier nanoClock) {
    this.ratePerSec = ratePerSec;
    this.nanoClock = nanoClock;
    this.startNanos = nanoClock.getAsLong();
  }

  public static RatePacer of(int ratePerSec) {
    return new RatePacer(ratePerSec, System::nanoTime);
  }

  /** When message {@code seq} is due, on the nanoClock's scale. */
  public long dueNanos(long seq) {
    if (ratePerSec == 0) {
      return nanoClock.getAsLong();
    }
    return startNanos + seq * 1_000_000_000L / ratePerSec;
  }

  /** Waits until message {@code seq} is due and returns its due time. */
  public long awaitDue(long seq) {
    long due = dueNanos(seq);
    long wait;
    while ((wait = due - nanoClock.getAsLong()) > 0) {
      LockSupport.parkNanos(wait);
    }
    return due;
  }
}

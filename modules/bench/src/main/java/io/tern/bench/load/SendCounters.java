package io.tern.bench.load;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Successes and failures of the sends in one phase, shared by sender threads and callbacks.
 * Remembers the first failure so a broken broker shows why, not just how often.
 */
public final class SendCounters {

  /** Failures tolerated before a phase that has few successes gives up. */
  private static final long ERROR_FLOOR = 200;

  private final AtomicLong ok = new AtomicLong();
  private final AtomicLong errors = new AtomicLong();
  private final AtomicReference<String> firstError = new AtomicReference<>();

  public void success() {
    ok.incrementAndGet();
  }

  public void failure(String why) {
    errors.incrementAndGet();
    firstError.compareAndSet(null, why);
  }

  public long ok() {
    return ok.get();
  }

  public long errors() {
    return errors.get();
  }

  public String firstError() {
    return firstError.get();
  }

  /** True when failures dominate: the broker is down or refusing, carrying on is pointless. */
  public boolean failing() {
    long e = errors.get();
    return e >= ERROR_FLOOR && e > ok.get();
  }
}

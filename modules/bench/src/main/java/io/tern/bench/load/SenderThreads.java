package io.tern.bench.load;

import java.util.ArrayList;
import java.util.List;

/**
 * Runs N platform threads that each claim sequence numbers from shared {@link RunBounds},
 * wait for the message's due time and send it, until the bounds are exhausted. A phase whose
 * sends mostly fail is stopped early.
 */
public final class SenderThreads {

  /** Sends one message; throwing counts as a failed send. */
  @FunctionalInterface
  public interface PerMessage {
    void send(long seq, long dueNanos) throws Exception;
  }

  private SenderThreads() {
  }

  public static void run(String name, int threads, RunBounds bounds, RatePacer pacer, SendCounters counters,
                         PerMessage action) throws InterruptedException {
    List<Thread> started = new ArrayList<>();
    for (int i = 0; i < threads; i++) {
      Thread t = new Thread(() -> loop(bounds, pacer, counters, action), name + "-" + i);
      t.start();
      started.add(t);
    }
    for (Thread t : started) {
      t.join();
    }
  }

  private static void loop(RunBounds bounds, RatePacer pacer, SendCounters counters, PerMessage action) {
    long seq;
    while ((seq = bounds.claim()) >= 0) {
      long due = pacer.awaitDue(seq);
      try {
        action.send(seq, due);
      } catch (Exception e) {
        counters.failure(e.toString());
        if (counters.failing()) {
          bounds.stop();
        }
      }
    }
  }
}

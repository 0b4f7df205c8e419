package io.tern.bench.load;

import io.tern.bench.proc.ProcFs;
import io.tern.bench.proc.ProcessSampler;
import io.tern.bench.proc.ProcessUsage;
import io.tern.bench.proc.WatchedProcess;
import java.util.ArrayList;
import java.util.List;

/**
 * The timed part of a scenario: its wall-clock length and what the watched processes (and the
 * generator itself, last) spent in it.
 */
public final class MeasuredPhase {

  private static final long SAMPLE_INTERVAL_MS = 100;

  private final long startNanos;
  private final ProcessSampler sampler;
  private long endNanos;

  private MeasuredPhase(ProcFs proc, List<WatchedProcess> watched) {
    List<WatchedProcess> all = new ArrayList<>(watched);
    all.add(new WatchedProcess(ProcessHandle.current().pid(), "generator"));
    this.sampler = new ProcessSampler(proc, all, SAMPLE_INTERVAL_MS);
    this.startNanos = System.nanoTime();
  }

  public static MeasuredPhase start(ProcFs proc, List<WatchedProcess> watched) {
    return new MeasuredPhase(proc, watched);
  }

  public long startNanos() {
    return startNanos;
  }

  /** Ends the phase now. */
  public List<ProcessUsage> finish() {
    return finishAt(System.nanoTime());
  }

  /** Ends the phase at an earlier instant, e.g. when the last message of a drain arrived. */
  public List<ProcessUsage> finishAt(long endNanos) {
    this.endNanos = endNanos;
    return sampler.stop();
  }

  public long durationNanos() {
    return endNanos - startNanos;
  }
}

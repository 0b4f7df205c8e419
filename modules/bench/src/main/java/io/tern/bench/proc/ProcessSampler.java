package io.tern.bench.proc;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Samples the memory of a few processes every {@code intervalMs} on a daemon thread and reads
 * their CPU time at start and stop, so a phase can report CPU per message and peak memory.
 *
 * <p>Memory peaks need sampling because RssAnon is an instantaneous value; CPU time is a
 * counter, so two reads are enough.
 */
public final class ProcessSampler implements AutoCloseable {

  private final ProcFs proc;
  private final List<Tracked> tracked = new ArrayList<>();
  private final long intervalMs;
  private final Thread thread;
  private volatile boolean running = true;

  public ProcessSampler(ProcFs proc, List<WatchedProcess> processes, long intervalMs) {
    this.proc = proc;
    this.intervalMs = intervalMs;
    for (WatchedProcess p : processes) {
      tracked.add(new Tracked(p, proc.cpu(p.pid()).map(ProcCpu::cpuMillis).orElse(0L)));
    }
    sampleAll();
    this.thread = new Thread(this::loop, "proc-sampler");
    this.thread.setDaemon(true);
    this.thread.start();
  }

  private void loop() {
    while (running) {
      try {
        Thread.sleep(intervalMs);
      } catch (InterruptedException e) {
        return;
      }
      sampleAll();
    }
  }

  private synchronized void sampleAll() {
    for (Tracked t : tracked) {
      proc.memory(t.process.pid()).ifPresent(t::observe);
    }
  }

  /** Stops sampling and returns one usage per watched process, in the order given. */
  public List<ProcessUsage> stop() {
    running = false;
    thread.interrupt();
    sampleAll();
    List<ProcessUsage> usages = new ArrayList<>();
    synchronized (this) {
      for (Tracked t : tracked) {
        Optional<ProcCpu> end = proc.cpu(t.process.pid());
        long cpu = end.map(c -> c.cpuMillis() - t.cpuAtStartMillis).orElse(0L);
        usages.add(new ProcessUsage(t.process.pid(), t.process.role(), cpu, t.anonPeakKb, t.anonLastKb,
            t.rssPeakKb, end.isPresent()));
      }
    }
    return usages;
  }

  @Override
  public void close() {
    running = false;
    thread.interrupt();
  }

  /** Mutable peaks of one process; guarded by the sampler's monitor. */
  private static final class Tracked {
    final WatchedProcess process;
    final long cpuAtStartMillis;
    long anonPeakKb;
    long anonLastKb;
    long rssPeakKb;

    Tracked(WatchedProcess process, long cpuAtStartMillis) {
      this.process = process;
      this.cpuAtStartMillis = cpuAtStartMillis;
    }

    void observe(ProcMemory m) {
      anonLastKb = m.rssAnonKb();
      anonPeakKb = Math.max(anonPeakKb, m.rssAnonKb());
      rssPeakKb = Math.max(rssPeakKb, m.rssKb());
    }
  }
}

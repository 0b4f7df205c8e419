package io.tern.bench.proc;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Optional;

/** Reads the /proc files the benchmarks sample. Linux only; stateless and thread-safe. */
public final class ProcFs {

  private final Path root;

  public ProcFs() {
    this(Path.of("/proc"));
  }

  /** A different root lets tests point the reader at a fixture directory. */
  public ProcFs(Path root) {
    this.root = root;
  }

  /** CPU and start time of {@code pid}, or empty once the process has gone. */
  public Optional<ProcCpu> cpu(long pid) {
    return read(pid, "stat").map(ProcCpu::parseStat);
  }

  /** Resident memory of {@code pid}, or empty once the process has gone. */
  public Optional<ProcMemory> memory(long pid) {
    Optional<String> status = read(pid, "status");
    if (status.isEmpty()) {
      return Optional.empty();
    }
    if (status.get().contains("RssAnon:")) {
      return status.map(ProcMemory::parseStatus);
    }
    // Kernels before 4.5 have no RssAnon in status; smaps_rollup (4.14+) or nothing.
    return read(pid, "smaps_rollup").map(ProcMemory::parseSmapsRollup);
  }

  /** Milliseconds since boot, from /proc/uptime (10 ms resolution). */
  public long uptimeMillis() {
    String text = read(root.resolve("uptime")).orElseThrow(() -> new IllegalStateException("no /proc/uptime"));
    return Math.round(Double.parseDouble(text.trim().split("\\s+")[0]) * 1000);
  }

  /** The 1, 5 and 15 minute load averages as /proc/loadavg prints them: other load on a shared machine skews results. */
  public String loadAverage() {
    String text = read(root.resolve("loadavg")).orElse("");
    String[] fields = text.trim().split("\\s+");
    return fields.length >= 3 ? fields[0] + " " + fields[1] + " " + fields[2] : "";
  }

  /** How long {@code pid} has been running, in ms, or empty once it has gone. */
  public Optional<Long> ageMillis(long pid) {
    return cpu(pid).map(cpu -> uptimeMillis() - cpu.startMillisSinceBoot());
  }

  private Optional<String> read(long pid, String file) {
    return read(root.resolve(Long.toString(pid)).resolve(file));
  }

  private static Optional<String> read(Path path) {
    try {
      return Optional.of(Files.readString(path));
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException e) {
      // A process that exits while we read its files shows up as ESRCH; treat it as gone.
      return Optional.empty();
    }
  }
}

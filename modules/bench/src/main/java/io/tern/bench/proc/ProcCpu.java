package io.tern.bench.proc;

/**
 * CPU time and start time of one process, from /proc/&lt;pid&gt;/stat.
 *
 * <p>The kernel counts both in clock ticks. USER_HZ is 100 on every Linux ABI Java runs on
 * (x86-64, arm64), so one tick is 10 ms; benchmark phases last seconds, so that is fine.
 */
public record ProcCpu(long userTicks, long systemTicks, long startTicksSinceBoot) {

  /** Clock ticks per second as exported to user space (USER_HZ). */
  public static final long TICKS_PER_SECOND = 100;

  // Field numbers in proc(5), 1-based; counted from the field after the ")" that ends comm.
  private static final int STATE_FIELD = 3;
  private static final int UTIME_FIELD = 14;
  private static final int STIME_FIELD = 15;
  private static final int STARTTIME_FIELD = 22;

  /**
   * Parses the single line of /proc/&lt;pid&gt;/stat. The command name (field 2) may itself
   * contain spaces and parentheses, so fields are counted from the last ')'.
   */
  public static ProcCpu parseStat(String stat) {
    int close = stat.lastIndexOf(')');
    if (close < 0) {
      throw new IllegalArgumentException("not a /proc/<pid>/stat line: " + stat);
    }
    String[] rest = stat.substring(close + 1).trim().split("\\s+");
    return new ProcCpu(
        Long.parseLong(rest[UTIME_FIELD - STATE_FIELD]),
        Long.parseLong(rest[STIME_FIELD - STATE_FIELD]),
        Long.parseLong(rest[STARTTIME_FIELD - STATE_FIELD]));
  }

  public long cpuMillis() {
    return (userTicks + systemTicks) * 1000 / TICKS_PER_SECOND;
  }

  public long startMillisSinceBoot() {
    return startTicksSinceBoot * 1000 / TICKS_PER_SECOND;
  }
}

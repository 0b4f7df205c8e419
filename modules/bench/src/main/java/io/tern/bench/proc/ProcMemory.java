package io.tern.bench.proc;

/**
 * Resident memory of one process, as /proc/&lt;pid&gt;/status reports it, in KiB.
 *
 * <p>{@code rssAnonKb} is what the issue calls "anonymous memory": RSS minus file mappings
 * (and minus shared memory). It is the number that matters for a broker, because the mapped
 * commit log and consume queues are page cache the kernel can drop, while heap, direct buffers
 * and thread stacks are not.
 */
public record ProcMemory(long rssKb, long rssAnonKb, long rssFileKb, long rssShmemKb, long peakRssKb) {

  /** Parses the text of /proc/&lt;pid&gt;/status; fields missing from it read as 0. */
  public static ProcMemory parseStatus(String status) {
    long rss = 0, anon = 0, file = 0, shmem = 0, hwm = 0;
    for (String line : status.split("\n")) {
      int colon = line.indexOf(':');
      if (colon < 0) {
        continue;
      }
      String key = line.substring(0, colon);
      switch (key) {
        case "VmRSS" -> rss = kib(line, colon);
        case "RssAnon" -> anon = kib(line, colon);
        case "RssFile" -> file = kib(line, colon);
        case "RssShmem" -> shmem = kib(line, colon);
        case "VmHWM" -> hwm = kib(line, colon);
        default -> { }
      }
    }
    return new ProcMemory(rss, anon, file, shmem, hwm);
  }

  /** Parses the text of /proc/&lt;pid&gt;/smaps_rollup, for kernels whose status lacks RssAnon. */
  public static ProcMemory parseSmapsRollup(String rollup) {
    long rss = 0, anon = 0, file = 0, shmem = 0;
    for (String line : rollup.split("\n")) {
      int colon = line.indexOf(':');
      if (colon < 0) {
        continue;
      }
      switch (line.substring(0, colon)) {
        case "Rss" -> rss = kib(line, colon);
        case "Anonymous" -> anon = kib(line, colon);
        case "Pss_File" -> file = kib(line, colon);
        case "Pss_Shmem" -> shmem = kib(line, colon);
        default -> { }
      }
    }
    return new ProcMemory(rss, anon, file, shmem, 0);
  }

  private static long kib(String line, int colon) {
    String value = line.substring(colon + 1).trim();
    int space = value.indexOf(' ');
    return Long.parseLong(space < 0 ? value : value.substring(0, space));
  }
}

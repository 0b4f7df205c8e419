package io.tern.bench.proc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProcParsingTest {

  private static final String STATUS = """
      Name:\tjava
      Umask:\t0022
      State:\tS (sleeping)
      Pid:\t3392
      VmPeak:\t 6461028 kB
      VmHWM:\t  341140 kB
      VmRSS:\t  337960 kB
      RssAnon:\t  276008 kB
      RssFile:\t   61952 kB
      RssShmem:\t       0 kB
      Threads:\t163
      """;

  private static final String SMAPS_ROLLUP = """
      c0000000-7ffc2ff1c000 ---p 00000000 00:00 0                              [rollup]
      Rss:              337960 kB
      Pss:              325320 kB
      Pss_Anon:         276008 kB
      Pss_File:          49312 kB
      Pss_Shmem:             0 kB
      Anonymous:        276008 kB
      """;

  // comm "(my) java" contains a space and parentheses: fields must be counted from the last ')'.
  private static final String STAT = "3392 ((my) java) S 1 3392 3392 0 -1 4194560 52000 0 12 0 "
      + "6123 845 0 0 20 0 163 0 104857 6616055808 84490 18446744073709551615 1 1 0 0 0 0 0 2 16800975 0 0 0 17 1 0 0 0 0 0";

  @Test
  void statusGivesAnonymousMemoryApartFromFileMappings() {
    ProcMemory m = ProcMemory.parseStatus(STATUS);
    assertEquals(337960, m.rssKb());
    assertEquals(276008, m.rssAnonKb());
    assertEquals(61952, m.rssFileKb());
    assertEquals(0, m.rssShmemKb());
    assertEquals(341140, m.peakRssKb());
  }

  @Test
  void smapsRollupIsTheFallbackForOldKernels() {
    ProcMemory m = ProcMemory.parseSmapsRollup(SMAPS_ROLLUP);
    assertEquals(337960, m.rssKb());
    assertEquals(276008, m.rssAnonKb());
    assertEquals(49312, m.rssFileKb());
  }

  @Test
  void statGivesCpuTicksAndStartTimeEvenWithParenthesesInTheName() {
    ProcCpu cpu = ProcCpu.parseStat(STAT);
    assertEquals(6123, cpu.userTicks());
    assertEquals(845, cpu.systemTicks());
    assertEquals(104857, cpu.startTicksSinceBoot());
    assertEquals(69_680, cpu.cpuMillis());
    assertEquals(1_048_570, cpu.startMillisSinceBoot());
  }

  @Test
  void procFsReadsAFixtureTreeAndTreatsMissingProcessesAsGone(@TempDir Path root) throws IOException {
    Files.createDirectories(root.resolve("3392"));
    Files.writeString(root.resolve("3392/stat"), STAT);
    Files.writeString(root.resolve("3392/status"), STATUS);
    Files.writeString(root.resolve("uptime"), "1100.57 2000.00\n");
    Files.writeString(root.resolve("loadavg"), "0.69 0.40 0.19 2/330 6688\n");
    ProcFs proc = new ProcFs(root);

    assertEquals(276008, proc.memory(3392).orElseThrow().rssAnonKb());
    assertEquals(1_100_570 - 1_048_570, proc.ageMillis(3392).orElseThrow());
    assertEquals("0.69 0.40 0.19", proc.loadAverage());
    assertTrue(proc.cpu(4242).isEmpty());
    assertTrue(proc.memory(4242).isEmpty());
  }

  @Test
  void samplerReportsCpuSpentDuringThePhaseAndPeakMemory(@TempDir Path root) throws IOException {
    Files.createDirectories(root.resolve("7"));
    Files.writeString(root.resolve("7/stat"), "7 (java) S " + "0 ".repeat(10) + "100 50 " + "0 ".repeat(6) + "10");
    Files.writeString(root.resolve("7/status"), "VmRSS:\t 900 kB\nRssAnon:\t 800 kB\n");
    ProcFs proc = new ProcFs(root);
    ProcessSampler sampler = new ProcessSampler(proc, List.of(new WatchedProcess(7, "broker")), 60_000);
    Files.writeString(root.resolve("7/stat"), "7 (java) S " + "0 ".repeat(10) + "300 70 " + "0 ".repeat(6) + "10");
    Files.writeString(root.resolve("7/status"), "VmRSS:\t 500 kB\nRssAnon:\t 400 kB\n");

    ProcessUsage usage = sampler.stop().get(0);
    assertEquals(2_200, usage.cpuMillis());
    assertEquals(800, usage.anonPeakKb());
    assertEquals(400, usage.anonEndKb());
    assertEquals(900, usage.rssPeakKb());
    assertTrue(usage.alive());
  }

  @Test
  void pidListNamesTheFirstUnnamedPidBroker() {
    List<WatchedProcess> list = WatchedProcess.parseList("12, namesrv=34,56");
    assertEquals(List.of(new WatchedProcess(12, "broker"), new WatchedProcess(34, "namesrv"),
        new WatchedProcess(56, "process-2")), list);
    assertFalse(WatchedProcess.parseList("").iterator().hasNext());
  }
}

package io.tern.bench.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class LoadOptionsParserTest {

  @Test
  void defaultsDescribeOneKibSyncSendForTenSeconds() {
    LoadOptions o = LoadOptionsParser.parse();
    assertEquals("127.0.0.1:9876", o.namesrv());
    assertEquals(ScenarioKind.SYNC_SEND, o.kind());
    assertEquals("sync-send", o.scenarioName());
    assertEquals(1024, o.bodyBytes());
    assertEquals(8, o.queues());
    assertEquals(10_000, o.durationMs());
    assertEquals(0, o.ratePerSec());
    assertEquals(ClientCallbacks.POOL, o.clientCallbacks());
  }

  @Test
  void flagsTakeSeparateOrInlineValues() {
    LoadOptions o = LoadOptionsParser.parse("--namesrv", "127.0.0.1:20001", "--scenario=e2e", "--rate", "5000",
        "--duration", "2.5", "--count=1_000_000", "--name", "e2e-5k", "--json", "out.json", "--pid", "1,namesrv=2");
    assertEquals("127.0.0.1:20001", o.namesrv());
    assertEquals(ScenarioKind.E2E, o.kind());
    assertEquals(5000, o.ratePerSec());
    assertEquals(2_500, o.durationMs());
    assertEquals(1_000_000, o.count());
    assertEquals("e2e-5k", o.scenarioName());
    assertEquals(Path.of("out.json"), o.json());
    assertEquals("1,namesrv=2", o.pids());
    assertEquals(ClientCallbacks.INLINE, LoadOptionsParser.parse("--client-callbacks", "inline").clientCallbacks());
  }

  @Test
  void scenariosBeyondTheSixHaveTheirOwnFlags() {
    LoadOptions many = LoadOptionsParser.parse("--topic", "bench-q", "--topics", "1_250", "--threads", "32");
    assertEquals(1250, many.topics());
    assertEquals(1, LoadOptionsParser.parse().topics());
    assertEquals(8, LoadOptionsParser.parse("--scenario", "e2e", "--groups", "8", "--rate", "5000").groups());
  }

  @Test
  void theWarmDrainIsOnePhaseTheColdOneThree() {
    LoadOptions warm = LoadOptionsParser.parse("--scenario", "drain", "--count", "100");
    assertEquals(DrainPhase.ALL, warm.phase());
    assertFalse(warm.phase().split());
    assertNull(warm.stateFile());
    LoadOptions fill = LoadOptionsParser.parse("--scenario", "drain", "--phase", "fill", "--count", "1_000",
        "--state-file", "/tmp/cold.json");
    assertEquals(DrainPhase.FILL, fill.phase());
    assertEquals(Path.of("/tmp/cold.json"), fill.stateFile());
    assertEquals(1_000, fill.count());
    LoadOptions drop = LoadOptionsParser.parse("--scenario", "drain", "--phase=drop", "--state-file", "s.json",
        "--store-dir", "/tmp/store");
    assertEquals(DrainPhase.DROP, drop.phase());
    assertEquals(Path.of("/tmp/store"), drop.storeDir());
    assertEquals(0, drop.count(), "the backlog's size comes from the state file");
    LoadOptions drain = LoadOptionsParser.parse("--scenario", "drain", "--phase", "drain", "--state-file", "s.json",
        "--store-dir", "/tmp/store", "--duration", "300");
    assertEquals(DrainPhase.DRAIN, drain.phase());
    assertTrue(drain.phase().split());
    assertEquals(300_000, drain.durationMs());
  }

  @Test
  void drainPhasesOnlyWhereTheyMeanSomething() {
    assertThrows(IllegalArgumentException.class, () -> LoadOptionsParser.parse("--phase", "fill",
        "--state-file", "s.json"), "--phase is for the drain scenario");
    assertThrows(IllegalArgumentException.class, () -> LoadOptionsParser.parse("--scenario", "drain",
        "--phase", "cold", "--state-file", "s.json"));
    assertThrows(IllegalArgumentException.class, () -> LoadOptionsParser.parse("--scenario", "drain",
        "--phase", "drain"), "a split phase needs the state file");
    assertThrows(IllegalArgumentException.class, () -> LoadOptionsParser.parse("--scenario", "drain",
        "--count", "1", "--state-file", "s.json"), "the warm drain has no state file");
    assertThrows(IllegalArgumentException.class, () -> LoadOptionsParser.parse("--scenario", "drain",
        "--phase", "fill", "--state-file", "s.json"), "the fill needs --count");
    assertThrows(IllegalArgumentException.class, () -> LoadOptionsParser.parse("--scenario", "drain",
        "--phase", "fill", "--count", "1", "--state-file", "s.json", "--store-dir", "/tmp/store"));
    assertThrows(IllegalArgumentException.class, () -> LoadOptionsParser.parse("--scenario", "drain",
        "--count", "1", "--store-dir", "/tmp/store"));
    assertThrows(IllegalArgumentException.class, () -> LoadOptionsParser.parse("--scenario", "drain",
        "--count", "1", "--drop-caches"), "the one-process drop is gone: it could not make a mapped store cold");
  }

  @Test
  void flagsBeyondTheSixOnlyWhereTheyMeanSomething() {
    assertThrows(IllegalArgumentException.class, () -> LoadOptionsParser.parse("--topics", "0"));
    assertThrows(IllegalArgumentException.class,
        () -> LoadOptionsParser.parse("--scenario", "e2e", "--topics", "2"));
    assertThrows(IllegalArgumentException.class, () -> LoadOptionsParser.parse("--groups", "8"));
  }

  @Test
  void mistakesAreRejectedWithAReason() {
    assertThrows(IllegalArgumentException.class, () -> LoadOptionsParser.parse("--thread", "8"));
    assertThrows(IllegalArgumentException.class, () -> LoadOptionsParser.parse("--scenario", "nope"));
    assertThrows(IllegalArgumentException.class, () -> LoadOptionsParser.parse("--client-callbacks", "direct"));
    assertThrows(IllegalArgumentException.class, () -> LoadOptionsParser.parse("--scenario", "drain"));
    assertThrows(IllegalArgumentException.class, () -> LoadOptionsParser.parse("--scenario", "startup"));
    assertThrows(IllegalArgumentException.class, () -> LoadOptionsParser.parse("--duration", "0"));
    assertThrows(IllegalArgumentException.class, () -> LoadOptionsParser.parse("--body-bytes", "8"));
    assertThrows(IllegalArgumentException.class, () -> LoadOptionsParser.parse("--threads"));
  }
}

package io.tern.bench.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
    LoadOptions cold = LoadOptionsParser.parse("--scenario", "drain", "--count", "100", "--drop-caches",
        "--store-dir", "/tmp/store", "--duration", "300");
    assertTrue(cold.dropCaches());
    assertEquals(Path.of("/tmp/store"), cold.storeDir());
    assertEquals(300_000, cold.durationMs(), "a switch takes no value: the next flag is parsed as usual");
    assertTrue(LoadOptionsParser.parse("--scenario", "drain", "--count", "1", "--drop-caches=true").dropCaches());
    assertFalse(LoadOptionsParser.parse("--scenario", "drain", "--count", "1").dropCaches());
  }

  @Test
  void flagsBeyondTheSixOnlyWhereTheyMeanSomething() {
    assertThrows(IllegalArgumentException.class, () -> LoadOptionsParser.parse("--topics", "0"));
    assertThrows(IllegalArgumentException.class,
        () -> LoadOptionsParser.parse("--scenario", "e2e", "--topics", "2"));
    assertThrows(IllegalArgumentException.class, () -> LoadOptionsParser.parse("--groups", "8"));
    assertThrows(IllegalArgumentException.class, () -> LoadOptionsParser.parse("--drop-caches"));
    assertThrows(IllegalArgumentException.class,
        () -> LoadOptionsParser.parse("--scenario", "drain", "--count", "1", "--store-dir", "/tmp/store"));
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

package io.tern.bench.soak;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class SoakParsingTest {

  @Test
  void optionsHaveTheRecordRunsDefaultsAndTakeDurations() {
    SoakOptions d = SoakOptions.parse(new String[0]);
    assertEquals(10_000, d.idle());
    assertEquals(1_000, d.polls());
    assertEquals(600_000, d.durationMs());
    SoakOptions o = SoakOptions.parse(new String[] {"--broker", "127.0.0.1:20911", "--idle", "5", "--polls", "2",
        "--duration", "2m", "--sample", "500ms", "--metrics", "none", "--pid", "42"});
    assertEquals("127.0.0.1", o.brokerHost());
    assertEquals(20911, o.brokerPort());
    assertEquals(120_000, o.durationMs());
    assertEquals(500, o.sampleMs());
    assertEquals(42, o.brokerPid());
    assertNull(o.metricsUrl());
    assertThrows(IllegalArgumentException.class, () -> SoakOptions.parse(new String[] {"--duration", "0"}));
    assertThrows(IllegalArgumentException.class, () -> SoakOptions.parse(new String[] {"--bogus", "1"}));
  }

  @Test
  void metricsScrapeSumsHeapPoolsAndReadsTheGauges() {
    String text = """
        # HELP jvm_memory_used_bytes The amount of used memory
        jvm_memory_used_bytes{area="heap",id="G1 Eden Space"} 1048576.0
        jvm_memory_used_bytes{area="heap",id="G1 Old Gen"} 2097152.0
        jvm_memory_used_bytes{area="nonheap",id="Metaspace"} 9999999.0
        jvm_gc_live_data_size_bytes 524288.0
        tern_remoting_connections 11001.0
        tern_pull_parked 1000.0
        """;
    BrokerMetricsScrape.Values v = BrokerMetricsScrape.parse(text);
    assertEquals(3 * 1048576.0, v.heapUsedBytes());
    assertEquals(524288.0, v.liveDataBytes());
    assertEquals(11001.0, v.connections());
    assertEquals(1000.0, v.parkedPulls());
    assertEquals(-1, BrokerMetricsScrape.parse("").heapUsedBytes());
  }
}

package io.tern.bench.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BacklogStateTest {

  @Test
  void phasesAddTheirNumbersAfterTheFillsOnes(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("cold").resolve("state.json");
    new BacklogState(1_733_000_000_000_123L, 100_000, 4242, Map.of("fillPerSec", 61_000)).write(file);
    BacklogState filled = BacklogState.read(file);
    assertEquals(1_733_000_000_000_123L, filled.runId(), "the drain counts only messages with the fill's run id");
    assertEquals(100_000, filled.backlog());
    assertEquals(4242, filled.brokerPid());

    Map<String, Object> drop = new LinkedHashMap<>();
    drop.put("pageCacheDropped", true);
    drop.put("storeCachedMbAfterDrop", 0);
    filled.with(drop).write(file);
    BacklogState dropped = BacklogState.read(file);
    assertEquals(List.of("fillPerSec", "pageCacheDropped", "storeCachedMbAfterDrop"),
        List.copyOf(dropped.extra().keySet()));
    assertEquals(true, dropped.extra().get("pageCacheDropped"));
    assertEquals(61_000, ((Number) dropped.extra().get("fillPerSec")).intValue());
    assertEquals(List.of("state.json"), Files.list(file.getParent()).map(p -> p.getFileName().toString()).toList(),
        "written through a temporary file that is moved into place");
  }

  @Test
  void aDrainWithoutAFillSaysSo(@TempDir Path dir) {
    IOException e = assertThrows(IOException.class, () -> BacklogState.read(dir.resolve("missing.json")));
    assertTrue(e.getMessage().contains("--phase fill"), e.getMessage());
  }
}

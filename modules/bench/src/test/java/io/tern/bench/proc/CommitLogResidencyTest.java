package io.tern.bench.proc;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CommitLogResidencyTest {

  @Test
  void onlyTheDataUpToTheEndCounts(@TempDir Path dir) throws IOException {
    Files.write(dir.resolve("00000000000000000000"), new byte[8192]);
    Files.write(dir.resolve("00000000000000008192"), new byte[8192]);
    Files.write(dir.resolve("00000000000000016384"), new byte[8192]);
    Files.write(dir.resolve("checkpoint"), new byte[4096]);
    assertEquals(8192 + 4096, CommitLogResidency.cachedDataBytes(new PageCache(), dir, 8192 + 4096),
        "pages just written are cached; the second file counts up to the end, the third (prepared ahead) not at all");
    assertEquals(0, CommitLogResidency.cachedDataBytes(new PageCache(), dir, 0));
  }

  @Test
  void aRangeOfAFileCountsItsCachedPages(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("00000000000000000000");
    Files.write(file, new byte[5 * 4096]);
    assertEquals(3 * 4096, new PageCache().cachedBytes(file, 3 * 4096));
    assertEquals(5 * 4096, new PageCache().cachedBytes(file, 100 * 4096), "no further than the file goes");
    assertEquals(-1, new PageCache().cachedBytes(dir.resolve("absent"), 4096));
  }

  @Test
  void unknownWithoutADirectoryOrAnEnd(@TempDir Path dir) {
    assertEquals(-1, CommitLogResidency.cachedDataBytes(new PageCache(), dir.resolve("absent"), 4096));
    assertEquals(-1, CommitLogResidency.cachedDataBytes(new PageCache(), dir, -1));
  }
}

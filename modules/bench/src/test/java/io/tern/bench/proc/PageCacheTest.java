package io.tern.bench.proc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PageCacheTest {

  @Test
  void fincoreLinesAreSummed() {
    assertEquals(4096 + 1_073_741_824L, PageCache.sumFincore("  4096\n1073741824\n    0\n"));
    assertEquals(0, PageCache.sumFincore(""));
  }

  @Test
  void dropWritesThreeAfterSync(@TempDir Path dir) throws IOException {
    Path target = dir.resolve("drop_caches");
    assertEquals(Optional.empty(), new PageCache(target).dropAll());
    assertEquals("3", Files.readString(target));
  }

  @Test
  void aRefusedDropSaysWhy(@TempDir Path dir) {
    Optional<String> why = new PageCache(dir.resolve("no-such-dir").resolve("drop_caches")).dropAll();
    assertTrue(why.isPresent());
    assertTrue(why.get().contains("cannot drop the page cache"), why.get());
  }

  @Test
  void residencyOfAMissingStoreIsUnknown(@TempDir Path dir) {
    assertEquals(-1, new PageCache().cachedBytes(dir.resolve("absent")));
    assertEquals(-1, new PageCache().cachedBytes(null));
  }

  @Test
  void residencyOfFreshlyWrittenFilesIsCounted(@TempDir Path dir) throws IOException {
    Files.write(dir.resolve("a"), new byte[64 * 1024]);
    Files.createDirectories(dir.resolve("sub"));
    Files.write(dir.resolve("sub").resolve("b"), new byte[4096]);
    long cached = new PageCache().cachedBytes(dir);
    if (fincoreInstalled()) {
      assertEquals(64 * 1024 + 4096, cached, "pages just written are in the page cache (dirty ones too)");
    } else {
      assertEquals(-1, cached, "without fincore the residency is unknown, not zero");
    }
  }

  @Test
  void pageOutEvictsWhatAnotherProcessMaps(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("commitlog");
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
      channel.write(ByteBuffer.allocate(256 * 1024));
      channel.force(true); // clean pages, as after the drop's sync: a dirty page is written back, not paged out
    }
    String java = ProcessHandle.current().info().command().orElse("java");
    Process mapper = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
        MapAndHold.class.getName(), file.toString()).start();
    try {
      assertEquals("mapped", new String(mapper.getInputStream().readNBytes(6), StandardCharsets.UTF_8));
      PageCache cache = new PageCache();
      Optional<String> failure = cache.pageOut(mapper.pid(), dir);
      if (failure.isPresent()) {
        // Not root or no process_madvise here: the failure must say why, and nothing was evicted.
        assertTrue(failure.get().contains("page"), failure.get());
        assertEquals(256 * 1024, cache.cachedBytes(file, Long.MAX_VALUE));
      } else {
        assertEquals(0, cache.cachedBytes(file, Long.MAX_VALUE), "the mapped pages left the page cache");
      }
    } finally {
      mapper.destroy();
      mapper.waitFor();
    }
  }

  @Test
  void pageOutOfAProcessThatIsGoneSaysWhy(@TempDir Path dir) {
    Optional<String> why = new PageCache().pageOut(Long.MAX_VALUE / 2, dir);
    assertTrue(why.isPresent());
  }

  private static boolean fincoreInstalled() {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
      if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, "fincore"))) {
        return true;
      }
    }
    return false;
  }
}

package io.tern.bench.proc;

import java.io.IOException;
import java.io.InputStream;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The machine's page cache, for the cold-backlog drain: dropping it (sync, then 3 into
 * /proc/sys/vm/drop_caches, which needs root), paging out what one process maps from a directory, and measuring how
 * much of a directory's files (util-linux {@code fincore}) or of a file's first bytes ({@code mincore}) it still
 * holds. The kernel drops only clean pages that no process has mapped, so a broker that keeps its commit log mapped
 * stays warm after a drop: the residency says how cold a drain really was. Stateless apart from the file it writes;
 * thread-safe.
 */
public final class PageCache {

  private static final int FILES_PER_FINCORE = 256;
  private static final long COMMAND_TIMEOUT_S = 120;
  private static final String PAGE_OUT_SCRIPT = "pageout.py";
  /** Linux's base page on the machines the bench runs on; a larger page only makes the count coarser. */
  private static final int PAGE_BYTES = 4096;
  /** Mapped at a time: a multiple of the page, so every chunk starts on a page boundary. */
  private static final long MAP_CHUNK_BYTES = 256L << 20;

  private final Path dropCachesFile;

  public PageCache() {
    this(Path.of("/proc/sys/vm/drop_caches"));
  }

  /** A different file lets tests see what would be written. */
  public PageCache(Path dropCachesFile) {
    this.dropCachesFile = dropCachesFile;
  }

  /** Writes dirty pages back, then drops the clean ones; empty when done, otherwise why it was not. */
  public Optional<String> dropAll() {
    try {
      Process sync = new ProcessBuilder("sync").redirectErrorStream(true).start();
      if (!sync.waitFor(COMMAND_TIMEOUT_S, TimeUnit.SECONDS) || sync.exitValue() != 0) {
        return Optional.of("sync did not finish cleanly");
      }
      Files.writeString(dropCachesFile, "3");
      return Optional.empty();
    } catch (IOException e) {
      return Optional.of("cannot drop the page cache (" + dropCachesFile + "): " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.of("interrupted");
    }
  }

  /**
   * Evicts what process {@code pid} has mapped from files under {@code dir}: the pages a broker's start-up read back
   * (RocketMQ's recovery walks its last commit-log files) stay mapped, and dropping the cache skips mapped pages.
   * {@code process_madvise(MADV_PAGEOUT)} through python3's ctypes (Linux 5.10+, root), the script beside this class;
   * call {@link #dropAll} first so that the pages are clean. Empty when done, otherwise why it was not.
   */
  public Optional<String> pageOut(long pid, Path dir) {
    try (InputStream in = PageCache.class.getResourceAsStream(PAGE_OUT_SCRIPT)) {
      if (in == null) {
        return Optional.of("no " + PAGE_OUT_SCRIPT + " in the class path");
      }
      String script = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      Process p = new ProcessBuilder("python3", "-c", script, Long.toString(pid), dir.toString())
          .redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
      if (!p.waitFor(COMMAND_TIMEOUT_S, TimeUnit.SECONDS)) {
        p.destroy();
        return Optional.of("page-out did not finish in " + COMMAND_TIMEOUT_S + " s");
      }
      return p.exitValue() == 0 ? Optional.empty() : Optional.of("page-out failed: " + out);
    } catch (IOException e) {
      return Optional.of("cannot page out (python3 needed): " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.of("interrupted");
    }
  }

  /** Bytes of the regular files under {@code dir} that are in the page cache; -1 when that cannot be told. */
  public long cachedBytes(Path dir) {
    if (dir == null || !Files.isDirectory(dir)) {
      return -1;
    }
    List<String> files;
    try (Stream<Path> walk = Files.walk(dir)) {
      files = walk.filter(Files::isRegularFile).map(Path::toString).toList();
    } catch (IOException | RuntimeException e) {
      return -1; // a broker deleting a file under the walk; the number is best effort
    }
    long total = 0;
    for (int from = 0; from < files.size(); from += FILES_PER_FINCORE) {
      List<String> command = new ArrayList<>(List.of("fincore", "--bytes", "--noheadings", "--output", "RES"));
      command.addAll(files.subList(from, Math.min(files.size(), from + FILES_PER_FINCORE)));
      try {
        Process p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(COMMAND_TIMEOUT_S, TimeUnit.SECONDS)) {
          p.destroy();
          return -1;
        }
        total += sumFincore(out);
      } catch (IOException e) {
        return -1; // no fincore on this machine
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return -1;
      }
    }
    return total;
  }

  /**
   * Bytes of the first {@code length} bytes of {@code file} that are in the page cache: {@code mincore} page by page
   * through a read-only mapping of this process ({@link MappedByteBuffer#isLoaded} on one-page slices), which faults
   * nothing in. Tells apart a commit log's data from the pages a broker touched ahead of its writer, which a whole-file
   * count ({@link #cachedBytes(Path)}) cannot. -1 when the file cannot be read.
   */
  public long cachedBytes(Path file, long length) {
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
      long total = 0;
      long end = Math.min(length, channel.size());
      for (long from = 0; from < end; from += MAP_CHUNK_BYTES) {
        int chunk = (int) Math.min(MAP_CHUNK_BYTES, end - from);
        MappedByteBuffer map = channel.map(FileChannel.MapMode.READ_ONLY, from, chunk);
        for (int page = 0; page < chunk; page += PAGE_BYTES) {
          int bytes = Math.min(PAGE_BYTES, chunk - page);
          if (map.slice(page, bytes).isLoaded()) {
            total += bytes;
          }
        }
      }
      return total;
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }

  /** Sums {@code fincore --bytes --noheadings --output RES}: one number per line. */
  static long sumFincore(String output) {
    long total = 0;
    for (String line : output.split("\n")) {
      String t = line.strip();
      if (!t.isEmpty() && t.chars().allMatch(Character::isDigit)) {
        total += Long.parseLong(t);
      }
    }
    return total;
  }
}

package io.tern.bench.proc;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * How much of a commit log's data is in the page cache. Both Tern and Apache RocketMQ name each commit-log file by
 * the offset of its first byte (20 digits); the data ends at the broker's commitLogMaxOffset. Pages past that end (a
 * broker touching pages ahead of its writer, a next file prepared in advance) hold no message and are not counted.
 */
public final class CommitLogResidency {

  private CommitLogResidency() {
  }

  /** Bytes of [0, {@code dataEnd}) of the commit log in {@code dir} that are cached; -1 when that cannot be told. */
  public static long cachedDataBytes(PageCache cache, Path dir, long dataEnd) {
    if (dir == null || !Files.isDirectory(dir) || dataEnd < 0) {
      return -1;
    }
    List<Path> files;
    try (Stream<Path> list = Files.list(dir)) {
      files = list.filter(f -> f.getFileName().toString().matches("\\d{20}")).sorted().toList();
    } catch (IOException | RuntimeException e) {
      return -1;
    }
    long total = 0;
    for (Path file : files) {
      long start = Long.parseLong(file.getFileName().toString());
      if (start >= dataEnd) {
        continue;
      }
      long cached = cache.cachedBytes(file, dataEnd - start);
      if (cached < 0) {
        return -1;
      }
      total += cached;
    }
    return total;
  }
}

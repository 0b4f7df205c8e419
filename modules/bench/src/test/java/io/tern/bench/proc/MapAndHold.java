package io.tern.bench.proc;

import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** A child process for {@link PageCacheTest}: maps a file, reads every page (as a broker's recovery does), holds it. */
public final class MapAndHold {

  private MapAndHold() {
  }

  public static void main(String[] args) throws Exception {
    try (FileChannel channel = FileChannel.open(Path.of(args[0]), StandardOpenOption.READ)) {
      MappedByteBuffer map = channel.map(FileChannel.MapMode.READ_ONLY, 0, channel.size());
      long sum = 0;
      for (int i = 0; i < map.capacity(); i += 4096) {
        sum += map.get(i);
      }
      System.out.print(sum == 0 ? "mapped" : "MAPPED");
      System.out.flush();
      System.in.read();
    }
  }
}

package io.tern.broker.failover;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.TreeMap;

/**
 * A replica's epoch history, {@code storeRoot/epoch}: for each master epoch this replica's log took part in, the
 * commit-log offset where that epoch's first byte lies. A new master writes its entry before it takes a put; a slave
 * writes the entry of the master it follows before it connects. A replica joining a master cuts its log back to
 * where the first epoch after its own last one began (the controller keeps those starts), because everything it
 * holds beyond that point was written under an epoch the new master's history does not contain.
 *
 * <pre>
 * text, one line per epoch, ascending:
 *   &lt;epoch&gt; &lt;startOffset&gt;\n
 * replaced whole (temp file, fsync, atomic rename) on every change
 * </pre>
 *
 * <p>Thread-safe; blocking: changed on a worker by {@link ControllerAgent}, one change at a time.
 */
final class EpochFile {
    private final Path file;
    private final TreeMap<Integer, Long> entries = new TreeMap<>();

    EpochFile(Path file) throws IOException {
        this.file = file;
        if (Files.exists(file)) {
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                String[] parts = line.trim().split("\\s+");
                if (parts.length == 2) {
                    entries.put(Integer.parseInt(parts[0]), Long.parseLong(parts[1]));
                }
            }
        }
    }

    /** The last epoch this log holds data of; 0 when none. */
    synchronized int lastEpoch() {
        return entries.isEmpty() ? 0 : entries.lastKey();
    }

    /** The start of {@code epoch}, or -1. */
    synchronized long startOf(int epoch) {
        Long s = entries.get(epoch);
        return s == null ? -1 : s;
    }

    /** Records that {@code epoch} starts at {@code offset}; forgets entries starting beyond a log cut to it. */
    synchronized void append(int epoch, long offset) throws IOException {
        entries.tailMap(epoch, true).clear();
        entries.values().removeIf(start -> start > offset);
        entries.put(epoch, offset);
        write();
    }

    synchronized Map<Integer, Long> entries() {
        return new TreeMap<>(entries);
    }

    private void write() throws IOException {
        StringBuilder text = new StringBuilder();
        entries.forEach((e, s) -> text.append(e).append(' ').append(s).append('\n'));
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.createDirectories(file.getParent());
        Files.writeString(tmp, text, StandardCharsets.UTF_8);
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
            ch.force(true);
        }
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }
}

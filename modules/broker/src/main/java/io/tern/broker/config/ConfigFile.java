package io.tern.broker.config;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * One JSON config file under {@code storeRoot/config}: written to a temp file, forced, then renamed over the
 * old one, whose previous content is kept as {@code <name>.bak}. Reading falls back to the .bak when the main
 * file is missing or empty (a crash between the two renames).
 *
 * <p>Blocking: call only from worker threads (executeBlocking) or at startup/shutdown off event loops.
 */
public final class ConfigFile {
    private final Path file;
    private final Path backup;
    private final Path temp;

    public ConfigFile(Path dir, String name) {
        this.file = dir.resolve(name);
        this.backup = dir.resolve(name + ".bak");
        this.temp = dir.resolve(name + ".tmp");
    }

    public Path path() {
        return file;
    }

    /** The file's bytes, or the backup's, or null when neither exists. */
    public byte[] read() throws IOException {
        for (Path p : new Path[] {file, backup}) {
            if (Files.isRegularFile(p) && Files.size(p) > 0) {
                return Files.readAllBytes(p);
            }
        }
        return null;
    }

    public synchronized void write(byte[] content) throws IOException {
        Files.createDirectories(file.getParent());
        try (FileChannel ch = FileChannel.open(temp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            java.nio.ByteBuffer buf = java.nio.ByteBuffer.wrap(content);
            while (buf.hasRemaining()) {
                ch.write(buf);
            }
            ch.force(true);
        }
        if (Files.exists(file)) {
            Files.copy(file, backup, StandardCopyOption.REPLACE_EXISTING);
        }
        Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}

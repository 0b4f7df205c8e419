package io.tern.store.impl;

import io.tern.store.StoreConfig;

import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.FileVisitResult;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * Disk usage of the store's file system (as RocketMQ counts it: {@code File.getFreeSpace}), or, with {@link StoreConfig#diskCapacityBytesOverride}, of a pretend
 * disk of that size holding only the store's own files. Read live from the config, so a test can "free space" by
 * raising the override.
 *
 * <p>Thread-safe (stateless apart from the config).
 */
public final class DiskSpace {
    private final StoreConfig config;
    private final Path root;

    public DiskSpace(StoreConfig config, Path root) {
        this.config = config;
        this.root = root;
    }

    /** Used fraction 0..1. */
    public double usedRatio() {
        long capacity = config.diskCapacityBytesOverride;
        try {
            if (capacity > 0) {
                return (double) storeBytes() / capacity;
            }
            // RocketMQ's formula (total - free) / total, with free = unallocated blocks: the space reserved for
            // root counts as free, so a file system with a large root reserve does not look nearly full (and
            // trigger forced deletion of young segments) while the broker can still write plenty
            FileStore fs = Files.getFileStore(root);
            long total = fs.getTotalSpace();
            return total <= 0 ? 0 : (double) (total - fs.getUnallocatedSpace()) / total;
        } catch (IOException e) {
            return 0;
        }
    }

    /** Throws the same kind of error a full disk would when {@code bytes} more do not fit. */
    public void checkRoomFor(long bytes) throws IOException {
        long capacity = config.diskCapacityBytesOverride;
        if (capacity > 0) {
            long used = storeBytes();
            if (used + bytes > capacity) {
                throw new IOException("No space left on device: store holds " + used + " of "
                        + capacity + " bytes (diskCapacityBytesOverride), " + bytes + " more needed");
            }
        } else {
            long usable = Files.getFileStore(root).getUsableSpace();
            if (usable < bytes) {
                throw new IOException("No space left on device: " + usable + " bytes usable, " + bytes + " needed");
            }
        }
    }

    /** Bytes of every file under the root; files vanishing meanwhile (retention, deleteTopic) are skipped. */
    long storeBytes() throws IOException {
        long[] total = new long[1];
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                if (attrs.isRegularFile()) {
                    total[0] += attrs.size();
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException e) {
                return FileVisitResult.CONTINUE;
            }
        });
        return total[0];
    }
}

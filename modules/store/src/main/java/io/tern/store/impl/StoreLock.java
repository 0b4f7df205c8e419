package io.tern.store.impl;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The {@code lock} file (one process per store root) and the {@code abort} file (exists while the store runs;
 * found at start it means the last stop was a crash).
 *
 * <p>Not thread-safe; used by start and shutdown.
 */
final class StoreLock {
    private final Path abortFile;
    private final FileChannel channel;
    private final FileLock lock;
    private final boolean abortFileExisted;

    private StoreLock(Path abortFile, FileChannel channel, FileLock lock, boolean abortFileExisted) {
        this.abortFile = abortFile;
        this.channel = channel;
        this.lock = lock;
        this.abortFileExisted = abortFileExisted;
    }

    static StoreLock acquire(Path root) throws IOException {
        FileChannel ch = FileChannel.open(root.resolve("lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock l;
        try {
            l = ch.tryLock();
        } catch (OverlappingFileLockException e) {
            l = null;
        }
        if (l == null) {
            ch.close();
            throw new IOException("Lock failed, MQ already started: " + root + " is used by another store");
        }
        Path abort = root.resolve("abort");
        boolean existed = Files.exists(abort);
        try (FileChannel a = FileChannel.open(abort, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
            a.force(true);
        }
        return new StoreLock(abort, ch, l, existed);
    }

    boolean abortFileExisted() {
        return abortFileExisted;
    }

    /** @param clean whether to remove the abort file (a clean stop) */
    void release(boolean clean) {
        try {
            if (clean) {
                Files.deleteIfExists(abortFile);
            }
            lock.release();
            channel.close();
        } catch (IOException ignored) {
            // the OS drops the lock with the process anyway
        }
    }
}

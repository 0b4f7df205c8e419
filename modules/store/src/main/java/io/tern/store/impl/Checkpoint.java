package io.tern.store.impl;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.zip.CRC32;

/**
 * The {@code checkpoint} file: how far each structure was known to be on disk when it was written.
 *
 * <pre>
 *  0                 8                 16                24                32                40                48    52
 *  +-----------------+-----------------+-----------------+-----------------+-----------------+-----------------+-----+
 *  | physicMsgTime   | logicsMsgTime   | indexMsgTime    | commitLogFlushed| consumeQueue    | indexFlushed    | CRC |
 *  |                 |                 |                 | offset          | flushed offset  | offset          |     |
 *  +-----------------+-----------------+-----------------+-----------------+-----------------+-----------------+-----+
 *  padded to 4 KiB. The three timestamps are RocketMQ's; the offsets (commit-log positions, always record
 *  boundaries) are what recovery uses. CRC32 of bytes 0..47 detects a torn write; a bad one means "no checkpoint".
 * </pre>
 *
 * @param consumeQueueOffset every record before this commit-log offset has its consume-queue entry on disk
 * @param indexOffset every record before this commit-log offset has its index entries on disk
 */
public record Checkpoint(long physicMsgTimestamp, long logicsMsgTimestamp, long indexMsgTimestamp,
                         long commitLogOffset, long consumeQueueOffset, long indexOffset) {
    public static final int FILE_BYTES = 4096;
    public static final int PHYSIC_MSG_TIMESTAMP_AT = 0;
    public static final int LOGICS_MSG_TIMESTAMP_AT = 8;
    public static final int INDEX_MSG_TIMESTAMP_AT = 16;
    public static final int COMMIT_LOG_OFFSET_AT = 24;
    public static final int CONSUME_QUEUE_OFFSET_AT = 32;
    public static final int INDEX_OFFSET_AT = 40;
    public static final int CRC_AT = 48;

    /** Reads the checkpoint; null when absent or torn. Not thread-safe with {@link #write}. */
    public static Checkpoint read(Path file) throws IOException {
        if (!Files.exists(file) || Files.size(file) < CRC_AT + 4) {
            return null;
        }
        ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(file));
        if (b.getInt(CRC_AT) != crc(b)) {
            return null;
        }
        return new Checkpoint(b.getLong(PHYSIC_MSG_TIMESTAMP_AT), b.getLong(LOGICS_MSG_TIMESTAMP_AT),
                b.getLong(INDEX_MSG_TIMESTAMP_AT), b.getLong(COMMIT_LOG_OFFSET_AT), b.getLong(CONSUME_QUEUE_OFFSET_AT),
                b.getLong(INDEX_OFFSET_AT));
    }

    /** Writes and fsyncs the checkpoint; called by one thread at a time (housekeeping, or startup/shutdown). */
    public void write(Path file) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(FILE_BYTES);
        b.putLong(PHYSIC_MSG_TIMESTAMP_AT, physicMsgTimestamp).putLong(LOGICS_MSG_TIMESTAMP_AT, logicsMsgTimestamp)
                .putLong(INDEX_MSG_TIMESTAMP_AT, indexMsgTimestamp).putLong(COMMIT_LOG_OFFSET_AT, commitLogOffset)
                .putLong(CONSUME_QUEUE_OFFSET_AT, consumeQueueOffset).putLong(INDEX_OFFSET_AT, indexOffset);
        b.putInt(CRC_AT, crc(b));
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
            long pos = 0;
            while (b.hasRemaining()) {
                pos += ch.write(b, pos);
            }
            ch.force(true);
        }
    }

    private static int crc(ByteBuffer b) {
        CRC32 c = new CRC32();
        c.update(b.array(), 0, CRC_AT);
        return (int) c.getValue();
    }

    /** Where re-dispatch must start after a crash: the lowest position some structure may lack. */
    public long safeRedispatchOffset() {
        return Math.min(commitLogOffset, Math.min(consumeQueueOffset, indexOffset));
    }
}

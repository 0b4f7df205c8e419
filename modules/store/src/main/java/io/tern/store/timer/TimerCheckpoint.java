package io.tern.store.timer;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Where the timer store stood at its last flush ({@code storeRoot/config/timercheck}): written only after the
 * {@link TimerLog} and the {@link TimerWheel} were flushed, so everything it names is on disk.
 *
 * <pre>
 *  0               4               8               12              16
 *  +---------------+---------------+---------------+---------------+
 *  | magic 'TmCk'  | precision ms  | wheel slots   | reserved      |
 *  +---------------+---------------+---------------+---------------+
 * 16                              24                              32
 *  +------------------------------+------------------------------+
 *  | timer-log write position     | rmq_sys_wheel_timer offset   |
 *  +------------------------------+------------------------------+
 * 32                              40
 *  +------------------------------+
 *  | dequeue tick                 |
 *  +------------------------------+
 * </pre>
 * The queue offset is the next entry of the timer topic to enqueue; the dequeue tick the first tick not yet
 * delivered completely (delivery of it starts over after a crash: timers are delivered at least once).
 *
 * @param precisionMs   the tick length the wheel was built with
 * @param slots         the wheel's slot count
 * @param logPosition   timer-log entries below it are on disk and linked
 * @param enqueueOffset next offset of rmq_sys_wheel_timer queue 0 to enqueue
 * @param dequeueTick   first tick not completely delivered
 */
public record TimerCheckpoint(int precisionMs, int slots, long logPosition, long enqueueOffset, long dequeueTick) {
    static final int BYTES = 40;
    static final int MAGIC = 0x546d436b;
    static final int PRECISION_OFFSET = 4;
    static final int SLOTS_OFFSET = 8;
    static final int LOG_POSITION_OFFSET = 16;
    static final int ENQUEUE_OFFSET_OFFSET = 24;
    static final int DEQUEUE_TICK_OFFSET = 32;

    /** Blocking: the checkpoint in {@code file}, or null when there is none. */
    public static TimerCheckpoint read(Path file) throws IOException {
        if (!Files.exists(file)) {
            return null;
        }
        ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(file));
        if (b.remaining() < BYTES || b.getInt(0) != MAGIC) {
            throw new IOException(file + " is not a timer checkpoint");
        }
        return new TimerCheckpoint(b.getInt(PRECISION_OFFSET), b.getInt(SLOTS_OFFSET), b.getLong(LOG_POSITION_OFFSET),
                b.getLong(ENQUEUE_OFFSET_OFFSET), b.getLong(DEQUEUE_TICK_OFFSET));
    }

    /** Blocking: writes and fsyncs the checkpoint in place (40 bytes: within one disk sector). */
    public void write(Path file) throws IOException {
        Files.createDirectories(file.getParent());
        ByteBuffer b = ByteBuffer.allocate(BYTES);
        b.putInt(0, MAGIC).putInt(PRECISION_OFFSET, precisionMs).putInt(SLOTS_OFFSET, slots)
                .putLong(LOG_POSITION_OFFSET, logPosition).putLong(ENQUEUE_OFFSET_OFFSET, enqueueOffset)
                .putLong(DEQUEUE_TICK_OFFSET, dequeueTick);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
            long at = 0;
            while (b.hasRemaining()) {
                at += ch.write(b, at);
            }
            ch.force(false);
        }
    }
}

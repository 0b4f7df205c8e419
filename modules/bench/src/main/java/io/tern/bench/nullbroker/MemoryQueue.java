package io.tern.bench.nullbroker;

import io.netty.channel.ChannelHandlerContext;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.ArrayList;
import java.util.List;
import org.apache.rocketmq.remoting.protocol.RemotingCommand;

/**
 * One queue of the null broker: an offset counter, the last {@link #RING} records as sent (fewer when they would
 * exceed the byte budget the broker gives each queue, never fewer than the newest one; so a consumer near the head
 * reads the real messages, with their real born times), and the pulls parked on it. An offset older than what is
 * retained is answered with the newest record, its queue offset patched: a backlog drain gets full batches at once
 * and nothing is kept per message. Event-loop thread only.
 *
 * <p>Records are in the stored-message layout the client decodes (4.x, v1 magic); the two fields patched:
 * <pre>
 *   0 TOTALSIZE(4) | 4 MAGIC(4) | 8 BODYCRC(4) | 12 QUEUEID(4) | 16 FLAG(4) | 20 QUEUEOFFSET(8) | 28 PHYSICALOFFSET(8) | ...
 * </pre>
 */
final class MemoryQueue {
    static final int RING = 1024;
    private static final int QUEUE_OFFSET_AT = 20;
    private static final int PHYSICAL_OFFSET_AT = 28;

    private final byte[][] ring = new byte[RING][];
    private long maxOffset;
    /** The oldest offset whose record is still in the ring. */
    private long retainedFrom;
    private long retainedBytes;
    private List<ParkedPull> parked = new ArrayList<>();

    /** A long-polling pull waiting for this queue to grow. */
    record ParkedPull(ChannelHandlerContext channel, RemotingCommand request, long offset, int maxMessages,
                      ScheduledFuture<?> timeout) {
    }

    long maxOffset() {
        return maxOffset;
    }

    /**
     * Appends a record whose queue offset is {@link #maxOffset()}, keeping at most {@code maxRetainedBytes} of
     * records (but always the newest); returns the pulls that were waiting for it.
     */
    List<ParkedPull> append(byte[] record, long maxRetainedBytes) {
        while (maxOffset + 1 - retainedFrom > RING) {
            forgetOldest();
        }
        ring[(int) (maxOffset % RING)] = record;
        retainedBytes += record.length;
        maxOffset++;
        while (retainedBytes > maxRetainedBytes && retainedFrom < maxOffset - 1) {
            forgetOldest();
        }
        if (parked.isEmpty()) {
            return List.of();
        }
        List<ParkedPull> woken = parked;
        parked = new ArrayList<>();
        return woken;
    }

    private void forgetOldest() {
        int slot = (int) (retainedFrom % RING);
        retainedBytes -= ring[slot].length;
        ring[slot] = null;
        retainedFrom++;
    }

    void park(ParkedPull pull) {
        parked.add(pull);
    }

    /** Removes a pull that timed out; false when a send already answered it. */
    boolean unpark(ParkedPull pull) {
        return parked.remove(pull);
    }

    /** Up to {@code max} records from {@code offset} (below {@link #maxOffset()}), concatenated. */
    byte[] read(long offset, int max) {
        int n = (int) Math.min(max, maxOffset - offset);
        byte[][] records = new byte[n][];
        int bytes = 0;
        for (int i = 0; i < n; i++) {
            records[i] = record(offset + i);
            bytes += records[i].length;
        }
        byte[] out = new byte[bytes];
        int at = 0;
        for (byte[] r : records) {
            System.arraycopy(r, 0, out, at, r.length);
            at += r.length;
        }
        return out;
    }

    private byte[] record(long offset) {
        if (offset >= retainedFrom) {
            return ring[(int) (offset % RING)];
        }
        byte[] copy = ring[(int) ((maxOffset - 1) % RING)].clone();
        putLong(copy, QUEUE_OFFSET_AT, offset);
        putLong(copy, PHYSICAL_OFFSET_AT, offset * copy.length);
        return copy;
    }

    private static void putLong(byte[] b, int at, long v) {
        for (int i = 7; i >= 0; i--) {
            b[at + i] = (byte) v;
            v >>>= 8;
        }
    }
}

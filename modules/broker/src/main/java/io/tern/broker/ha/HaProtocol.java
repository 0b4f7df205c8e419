package io.tern.broker.ha;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.buffer.BufferInternal;
import io.vertx.core.parsetools.RecordParser;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;
import java.util.zip.CRC32;

/**
 * Tern's replication protocol between a slave and its master, on the master's haListenPort. All integers are
 * big-endian.
 *
 * <pre>
 *  every frame
 *  0        4      5
 *  +--------+------+---------------------------+
 *  | LENGTH | TYPE | payload (LENGTH - 1 bytes) |
 *  +--------+------+---------------------------+
 *  LENGTH: int32, the bytes after itself
 *
 *  slave → master
 *  HELLO (1)     0          8           16            20          24
 *                +----------+-----------+-------------+-----------+-----------+
 *                | brokerId | maxOffset | segmentBytes| checkBytes| checkCrc  |
 *                +----------+-----------+-------------+-----------+-----------+
 *                maxOffset: end of the slave's log; checkCrc: CRC32 of its last checkBytes bytes before it
 *                (at most 4 KiB, within one segment), so the master can tell a diverged tail.
 *  ACK (2)       | ackedOffset int64 |   the slave's log is written and dispatched up to here
 *
 *  master → slave
 *  START (11)    | fromOffset int64 |    the logs agree up to fromOffset; DATA follows from there
 *  TRUNCATE (12) | toOffset int64 |      cut back to the record boundary at or below toOffset, then HELLO again
 *  DATA (13)     0                8                 16
 *                +----------------+-----------------+----------------------------------+
 *                | physicalOffset | masterMaxOffset | commit-log bytes (LENGTH - 17)   |
 *                +----------------+-----------------+----------------------------------+
 *                consecutive: each starts where the previous ended; no bytes = a heartbeat
 *  REFUSE (14)   | reason, UTF-8 |       the master closes the connection after it
 * </pre>
 *
 * <p>A handshake is HELLO → START, or HELLO → TRUNCATE → HELLO ... → START; every TRUNCATE moves the slave's end
 * strictly back, so it ends. Stateless and thread-safe.
 */
public final class HaProtocol {
    public static final byte HELLO = 1;
    public static final byte ACK = 2;
    public static final byte START = 11;
    public static final byte TRUNCATE = 12;
    public static final byte DATA = 13;
    public static final byte REFUSE = 14;

    static final int LENGTH_BYTES = 4;
    static final int HELLO_PAYLOAD_BYTES = 28;
    static final int DATA_HEADER_BYTES = 16;
    /** Largest tail the handshake compares. */
    static final int CHECK_BYTES = 4096;
    /** Frames above this are a broken peer, not data (a DATA frame carries at most haTransferBatchBytes). */
    static final int MAX_FRAME_BYTES = 64 * 1024 * 1024;

    private HaProtocol() {
    }

    /** One decoded frame: its type and payload (valid during the handler call only, unless copied). */
    public record Frame(byte type, Buffer payload) {
        long longAt(int pos) {
            return payload.getLong(pos);
        }
    }

    /** A parser calling {@code handler} per frame; {@code onError} on a malformed length. */
    static RecordParser parser(Consumer<Frame> handler, Consumer<String> onError) {
        RecordParser parser = RecordParser.newFixed(LENGTH_BYTES);
        boolean[] inBody = new boolean[1];
        parser.handler(b -> {
            if (!inBody[0]) {
                int length = b.getInt(0);
                if (length < 1 || length > MAX_FRAME_BYTES) {
                    onError.accept("bad replication frame length " + length);
                    return;
                }
                inBody[0] = true;
                parser.fixedSizeMode(length);
            } else {
                inBody[0] = false;
                parser.fixedSizeMode(LENGTH_BYTES);
                handler.accept(new Frame(b.getByte(0), b.slice(1, b.length())));
            }
        });
        return parser;
    }

    static Buffer hello(long brokerId, long maxOffset, int segmentBytes, int checkBytes, int checkCrc) {
        return header(HELLO, HELLO_PAYLOAD_BYTES).appendLong(brokerId).appendLong(maxOffset).appendInt(segmentBytes)
                .appendInt(checkBytes).appendInt(checkCrc);
    }

    static Buffer offsetFrame(byte type, long offset) {
        return header(type, 8).appendLong(offset);
    }

    static Buffer refuse(String reason) {
        byte[] text = reason.getBytes(StandardCharsets.UTF_8);
        return header(REFUSE, text.length).appendBytes(text);
    }

    /** A DATA frame around a view of the mapped log, without copying the view. */
    static Buffer data(long physicalOffset, long masterMaxOffset, ByteBuffer bytes) {
        ByteBuf head = Unpooled.buffer(LENGTH_BYTES + 1 + DATA_HEADER_BYTES);
        head.writeInt(1 + DATA_HEADER_BYTES + bytes.remaining()).writeByte(DATA).writeLong(physicalOffset)
                .writeLong(masterMaxOffset);
        return bytes.hasRemaining() ? BufferInternal.buffer(Unpooled.wrappedBuffer(head, Unpooled.wrappedBuffer(bytes)))
                : BufferInternal.buffer(head);
    }

    private static Buffer header(byte type, int payloadBytes) {
        return Buffer.buffer(LENGTH_BYTES + 1 + payloadBytes).appendInt(1 + payloadBytes).appendByte(type);
    }

    /** The tail of {@code log} before {@code end} that a handshake compares: up to 4 KiB, inside one segment. */
    static ByteBuffer checkedTail(io.tern.store.ReplicaLog log, long end) {
        long min = log.minOffset();
        if (end <= min) {
            return ByteBuffer.allocate(0);
        }
        long segmentStart = (end - 1) - (end - 1) % log.segmentBytes();
        long from = Math.max(Math.max(segmentStart, min), end - CHECK_BYTES);
        ByteBuffer tail = log.read(from, (int) (end - from));
        return tail == null ? ByteBuffer.allocate(0) : tail;
    }

    /** CRC32 of a view, as HELLO carries it. */
    static int crc(ByteBuffer bytes) {
        CRC32 crc = new CRC32();
        crc.update(bytes.duplicate());
        return (int) crc.getValue();
    }
}

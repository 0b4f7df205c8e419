package io.tern.broker.ha;

import io.tern.broker.ha.HaProtocol.Frame;
import io.tern.store.ReplicaLog;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetSocket;
import java.nio.ByteBuffer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The master's side of one slave connection: answers the handshake (see {@link HaProtocol}), then streams the
 * commit log from the agreed offset in DATA frames of views of the mapped segments (no copy), as fast as the
 * socket's write queue drains, and records the slave's acknowledgements.
 *
 * <p>Thread contract: owned by the {@link HaMaster} worker context (handshake, pumping, timer, wake-ups run
 * there), except {@link #acked} and {@link #heard}, which the socket's event loop calls as frames arrive;
 * {@link #ackedOffset()}, {@link #isStreaming()} and {@link #brokerId()} may be read from any thread.
 */
final class SlaveSession {
    private static final Logger LOG = LoggerFactory.getLogger(SlaveSession.class);

    private final NetSocket socket;
    private final ReplicaLog log;
    private final int batchBytes;
    private final Runnable onAck;
    private long sendOffset = -1;
    private volatile long lastReadNanos = System.nanoTime();
    private long lastWriteNanos = System.nanoTime();
    private volatile long brokerId = -1;
    private volatile long ackedOffset = -1;
    private volatile boolean streaming;
    /** Keeps the page pre-touching from being optimised away. */
    private long touched;

    SlaveSession(NetSocket socket, ReplicaLog log, int batchBytes, Runnable onAck) {
        this.socket = socket;
        this.log = log;
        this.batchBytes = batchBytes;
        this.onAck = onAck;
        socket.setWriteQueueMaxSize(4 * batchBytes);
    }

    /** A frame arrived (any thread): the slave is alive. */
    void heard() {
        lastReadNanos = System.nanoTime();
    }

    /** The slave acknowledged everything before {@code offset}; on the socket's event loop. */
    void acked(long offset) {
        if (offset > ackedOffset) {
            ackedOffset = offset;
            onAck.run();
        }
    }

    /** A frame other than ACK, on the worker. */
    void onFrame(Frame f) {
        switch (f.type()) {
            case HaProtocol.HELLO -> hello(f.payload());
            case HaProtocol.ACK -> acked(f.longAt(0));
            default -> refuse("unexpected frame type " + f.type());
        }
    }

    private void hello(Buffer p) {
        brokerId = p.getLong(0);
        long slaveEnd = p.getLong(8);
        int segmentBytes = p.getInt(16);
        int checkBytes = p.getInt(20);
        int checkCrc = p.getInt(24);
        streaming = false;
        if (segmentBytes != log.segmentBytes()) {
            refuse("commitLogSegmentBytes differ: master " + log.segmentBytes() + ", slave " + segmentBytes);
            return;
        }
        long masterEnd = log.maxOffset();
        long masterMin = log.minOffset();
        if (slaveEnd > masterEnd) {
            LOG.warn("slave {} ends at {}, beyond the master's {}: it truncates", brokerId, slaveEnd, masterEnd);
            write(HaProtocol.offsetFrame(HaProtocol.TRUNCATE, masterEnd));
            return;
        }
        if (slaveEnd == 0 && masterMin > 0) {
            start(masterMin);
            return;
        }
        if (slaveEnd < masterMin) {
            refuse("the slave ends at " + slaveEnd + ", before the master's oldest segment " + masterMin
                    + ": clear the slave's store to copy it afresh");
            return;
        }
        if (checkBytes > 0) {
            ByteBuffer tail = log.read(slaveEnd - checkBytes, checkBytes);
            if (tail == null || tail.remaining() != checkBytes || HaProtocol.crc(tail) != checkCrc) {
                LOG.warn("slave {} differs from the master before {}: it truncates", brokerId, slaveEnd);
                write(HaProtocol.offsetFrame(HaProtocol.TRUNCATE, slaveEnd - checkBytes));
                return;
            }
        }
        start(slaveEnd);
    }

    private void start(long from) {
        LOG.info("slave {} at {} replicates from {}", brokerId, socket.remoteAddress(), from);
        write(HaProtocol.offsetFrame(HaProtocol.START, from));
        sendOffset = from;
        streaming = true;
        // the handshake proved the slave holds everything before `from`
        ackedOffset = from;
        onAck.run();
        pump();
    }

    /** Sends what is written and fits in the socket's write queue. */
    void pump() {
        if (!streaming) {
            return;
        }
        while (!socket.writeQueueFull()) {
            ByteBuffer view = log.read(sendOffset, batchBytes);
            if (view == null) {
                refuse("offset " + sendOffset + " was deleted by retention before the slave got it");
                return;
            }
            int n = view.remaining();
            if (n == 0) {
                return;
            }
            touch(view);
            write(HaProtocol.data(sendOffset, log.maxOffset(), view));
            sendOffset += n;
        }
    }

    /** Faults the pages in here, on the worker: the event loop writing them to the socket must not wait for disk. */
    private void touch(ByteBuffer view) {
        long sum = touched;
        for (int i = 0; i < view.remaining(); i += 4096) {
            sum += view.get(view.position() + i);
        }
        touched = sum;
    }

    /** Heartbeat when idle; true when the slave has been silent too long (the caller closes it). */
    boolean tick(long nowNanos, long heartbeatNanos) {
        if (nowNanos - lastReadNanos > 4 * heartbeatNanos) {
            LOG.warn("slave {} at {} silent for {} ms: dropping it", brokerId, socket.remoteAddress(),
                    (nowNanos - lastReadNanos) / 1_000_000);
            return true;
        }
        if (streaming && nowNanos - lastWriteNanos > heartbeatNanos && !socket.writeQueueFull()) {
            write(HaProtocol.data(sendOffset, log.maxOffset(), ByteBuffer.allocate(0)));
        }
        return false;
    }

    private void write(Buffer frame) {
        lastWriteNanos = System.nanoTime();
        socket.write(frame);
    }

    private void refuse(String reason) {
        LOG.warn("refusing slave {} at {}: {}", brokerId, socket.remoteAddress(), reason);
        streaming = false;
        socket.write(HaProtocol.refuse(reason)).eventually(socket::close);
    }

    void close() {
        streaming = false;
        socket.close();
    }

    NetSocket socket() {
        return socket;
    }

    long brokerId() {
        return brokerId;
    }

    long ackedOffset() {
        return ackedOffset;
    }

    boolean isStreaming() {
        return streaming;
    }

    String remoteAddress() {
        return String.valueOf(socket.remoteAddress());
    }
}

package io.tern.broker.ha;

import io.tern.broker.ha.HaProtocol.Frame;
import io.tern.store.ReplicaLog;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.buffer.BufferInternal;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.NetSocket;
import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The slave's replication service: a worker verticle (own single-thread pool) that connects to the master's
 * haListenPort, reports where its log ends (with a checksum of the tail, so a diverged tail is found and cut,
 * see {@link HaProtocol}), appends the streamed bytes at the same offsets through the store's writer and
 * acknowledges each append once dispatched. A lost connection is retried with back-off (100 ms doubling to
 * haReconnectMaxBackoffMs); the next handshake resumes from the slave's own end.
 *
 * <p>Appends are pipelined: the socket is paused while more than {@link #MAX_IN_FLIGHT_BYTES} wait for the writer.
 * The acknowledgement of an append leaves from the store thread that completes it ({@link #appended}): a SYNC_MASTER
 * send waits for it, and a hop back to this verticle's thread first cost every replication round one more
 * wake-up (src-docs/performance-notes.md, change 16). The worker is asked only for what needs it: a failed append,
 * resuming a paused socket, a handshake or a stop waiting for the last append.
 *
 * <p>Thread contract: everything runs on this verticle's worker context except the status getters and
 * {@link #appended}, which runs on the store thread completing an append and touches only the atomics and volatile
 * fields it names.
 */
public final class HaSlave extends VerticleBase {
    private static final Logger LOG = LoggerFactory.getLogger(HaSlave.class);
    static final long FIRST_BACKOFF_MS = 100;
    static final long MAX_IN_FLIGHT_BYTES = 16L * 1024 * 1024;

    private final ReplicaLog log;
    private final long brokerId;
    private final Supplier<String> masterAddress;
    private final long maxBackoffMs;
    private final long heartbeatMs;
    private NetClient client;
    /** Written on the worker; read by {@link #appended} to drop completions of an older connection. */
    private volatile NetSocket socket;
    private long backoffMs = FIRST_BACKOFF_MS;
    /** Written on the worker; read by {@link #appended}: an acknowledgement needs a started stream. */
    private volatile long expectedOffset = -1;
    /** Appends submitted and not completed; decremented by the completing store thread. */
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicLong inFlightBytes = new AtomicLong();
    private volatile boolean paused;
    private volatile boolean helloWhenIdle;
    private boolean stopping;
    private long timer = -1;
    /** Completed once no append is in flight after stop began (a promoted slave's log must be still). */
    private volatile io.vertx.core.Promise<Void> drained;
    private volatile String connectedTo;
    private volatile long masterMaxOffset = -1;
    /** Raised by the worker (handshake) and the store thread (appends); only ever raised while streaming. */
    private final AtomicLong ackedOffset = new AtomicLong(-1);

    /** @param masterAddress the master's "host:haPort" when known, else null or empty (asked again at each retry) */
    HaSlave(ReplicaLog log, long brokerId, Supplier<String> masterAddress, long maxBackoffMs, long heartbeatMs) {
        this.log = log;
        this.brokerId = brokerId;
        this.masterAddress = masterAddress;
        this.maxBackoffMs = maxBackoffMs;
        this.heartbeatMs = heartbeatMs;
    }

    @Override
    public Future<?> start() {
        client = vertx.createNetClient(new NetClientOptions().setTcpNoDelay(true).setConnectTimeout(3_000));
        timer = vertx.setPeriodic(heartbeatMs, id -> sendAck());
        connect();
        return Future.succeededFuture();
    }

    @Override
    public Future<?> stop() {
        stopping = true;
        vertx.cancelTimer(timer);
        if (socket != null) {
            socket.close();
        }
        io.vertx.core.Promise<Void> idle = io.vertx.core.Promise.promise();
        drained = idle;
        if (inFlight.get() == 0) {
            idle.tryComplete();
        }
        return idle.future().compose(v -> client.close());
    }

    private void connect() {
        if (stopping) {
            return;
        }
        String addr = masterAddress.get();
        int colon = addr == null ? -1 : addr.lastIndexOf(':');
        if (colon <= 0) {
            retryLater();
            return;
        }
        String host = addr.substring(0, colon);
        int port = Integer.parseInt(addr.substring(colon + 1));
        client.connect(port, host).onComplete(ar -> {
            if (ar.succeeded()) {
                onConnected(ar.result(), addr);
            } else {
                LOG.debug("replication: cannot reach master {}: {}", addr, ar.cause().toString());
                retryLater();
            }
        });
    }

    private void retryLater() {
        if (stopping) {
            return;
        }
        long delay = backoffMs;
        backoffMs = Math.min(maxBackoffMs, backoffMs * 2);
        vertx.setTimer(delay, id -> connect());
    }

    private void onConnected(NetSocket s, String addr) {
        if (stopping) {
            s.close();
            return;
        }
        socket = s;
        s.handler(HaProtocol.parser(f -> onFrame(s, f), reason -> {
            LOG.warn("replication: {} from master {}", reason, addr);
            s.close();
        }));
        s.closeHandler(v -> onClosed(s));
        s.exceptionHandler(e -> LOG.debug("replication connection to {}: {}", addr, e.toString()));
        connectedTo = addr;
        hello();
    }

    private void onClosed(NetSocket s) {
        if (socket != s) {
            return;
        }
        LOG.info("replication: connection to master {} closed", connectedTo);
        socket = null;
        connectedTo = null;
        expectedOffset = -1;
        if (paused) {
            paused = false;
            s.resume();
        }
        retryLater();
    }

    /** Reports the log's end; waits for appends in flight first (the end must not move under the checksum). */
    private void hello() {
        helloWhenIdle = true;
        if (inFlight.get() > 0) {
            return; // the last append's completion asks again (whenIdle), after the flag is visible to it
        }
        helloWhenIdle = false;
        long end = log.maxOffset();
        ByteBuffer tail = HaProtocol.checkedTail(log, end);
        socket.write(HaProtocol.hello(brokerId, end, log.segmentBytes(), tail.remaining(), HaProtocol.crc(tail)));
    }

    private void onFrame(NetSocket s, Frame f) {
        if (socket != s) {
            return;
        }
        switch (f.type()) {
            case HaProtocol.START -> {
                expectedOffset = f.longAt(0);
                ackedOffset.set(expectedOffset);
                sendAck();
                backoffMs = FIRST_BACKOFF_MS;
                LOG.info("replication: streaming from master {} at offset {}", connectedTo, expectedOffset);
            }
            case HaProtocol.TRUNCATE -> {
                long to = f.longAt(0);
                log.truncate(to).whenComplete((end, e) -> context.runOnContext(v -> {
                    if (e != null) {
                        LOG.error("replication: truncation to {} failed", to, e);
                        s.close();
                    } else if (socket == s) {
                        hello();
                    }
                }));
            }
            case HaProtocol.DATA -> data(s, f.payload());
            case HaProtocol.REFUSE -> {
                LOG.warn("replication: master {} refused: {}", connectedTo, f.payload().toString());
                s.close();
            }
            default -> {
                LOG.warn("replication: unexpected frame type {} from {}", f.type(), connectedTo);
                s.close();
            }
        }
    }

    private void data(NetSocket s, Buffer payload) {
        long offset = payload.getLong(0);
        masterMaxOffset = payload.getLong(8);
        int n = payload.length() - HaProtocol.DATA_HEADER_BYTES;
        if (n == 0) {
            return;
        }
        if (offset != expectedOffset) {
            LOG.warn("replication: bytes at {} but expected {}; reconnecting", offset, expectedOffset);
            s.close();
            return;
        }
        expectedOffset += n;
        // the parser handed us its own copy of the frame: the view stays valid until the writer copied it
        ByteBuffer bytes = ((BufferInternal) payload.slice(HaProtocol.DATA_HEADER_BYTES, payload.length()))
                .getByteBuf().nioBuffer();
        inFlight.incrementAndGet();
        if (inFlightBytes.addAndGet(n) > MAX_IN_FLIGHT_BYTES && !paused) {
            paused = true;
            s.pause();
        }
        log.append(offset, bytes).whenComplete((end, e) -> appended(s, end, e, n));
    }

    /**
     * The store thread that completed an append (or the worker, for one refused at once): acknowledges it on the
     * socket it came from, directly (a socket write from any thread is one hand-off to its event loop), and asks
     * the worker only for what must run there.
     */
    private void appended(NetSocket s, Long end, Throwable e, int n) {
        long bytesLeft = inFlightBytes.addAndGet(-n);
        int left = inFlight.decrementAndGet();
        if (e != null) {
            context.runOnContext(v -> {
                LOG.warn("replication: append failed, reconnecting: {}", e.toString());
                s.close();
            });
        } else if (socket == s && raiseAcked(end)) {
            s.write(HaProtocol.offsetFrame(HaProtocol.ACK, end));
        }
        if (paused && bytesLeft < MAX_IN_FLIGHT_BYTES / 2) {
            context.runOnContext(v -> resumeIfDrained(s));
        }
        if (left == 0 && (helloWhenIdle || drained != null)) {
            context.runOnContext(v -> whenIdle());
        }
    }

    private boolean raiseAcked(long end) {
        long prev;
        do {
            prev = ackedOffset.get();
            if (end <= prev) {
                return false;
            }
        } while (!ackedOffset.compareAndSet(prev, end));
        return true;
    }

    /** Worker: resumes the socket paused for appends in flight once half of them completed. */
    private void resumeIfDrained(NetSocket s) {
        if (paused && socket == s && inFlightBytes.get() < MAX_IN_FLIGHT_BYTES / 2) {
            paused = false;
            s.resume();
        }
    }

    /** Worker: what waited for the appends in flight to complete, a handshake or a stop (checked again here). */
    private void whenIdle() {
        if (inFlight.get() != 0) {
            return;
        }
        if (helloWhenIdle && socket != null) {
            hello();
        }
        io.vertx.core.Promise<Void> d = drained;
        if (d != null) {
            d.tryComplete();
        }
    }

    private void sendAck() {
        NetSocket s = socket;
        if (s != null && expectedOffset >= 0) {
            s.write(HaProtocol.offsetFrame(HaProtocol.ACK, ackedOffset.get()));
        }
    }

    /** "host:port" of the master while connected, else null. */
    public String connectedTo() {
        return connectedTo;
    }

    /** The master's log end as last reported (-1 before the first frame). */
    public long masterMaxOffset() {
        return masterMaxOffset;
    }

    /** The end of this slave's log. */
    public long maxOffset() {
        return log.maxOffset();
    }
}

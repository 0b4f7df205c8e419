package io.tern.broker.ha;

import io.tern.broker.ha.HaProtocol.Frame;
import io.tern.store.ReplicaLog;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.NetSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The master's replication service: a worker verticle (its own single-thread pool, see {@link Replication}) that
 * listens on haListenPort and runs one {@link SlaveSession} per connected slave. Reads of the mapped log, DATA
 * frames, handshakes and the bookkeeping run on this verticle's worker thread. It sends what is written every
 * {@link #POLL_MS} ms and at once when a SYNC_MASTER put asks ({@link #wake}).
 *
 * <p>The slaves' sockets live on an event loop of their own (the listening server is bound from an event-loop
 * context, not from the worker), and an ACK is handled right there: it records the slave's offset and completes
 * the {@link SyncReplicaWaiters} it covers, whose sends are then answered on their connections' event loops. An
 * ACK used to hop to the worker first; on a SYNC_MASTER that hop sat on every send's path (performance-notes,
 * change 19). Every other frame still goes to the worker.
 *
 * <p>The poll timer runs only while a slave is connected or a SYNC_MASTER put waits: a timer of a worker verticle
 * is kept by an event loop, which it wakes at every tick, and a master without slaves (every standalone broker)
 * paid 200 such wake-ups a second in the middle of its send path (src-docs/performance-notes.md, change 15).
 *
 * <p>Thread-safe: {@link #wake}, {@link #slaves()} and {@link #inSync} from any thread; connection handlers and
 * ACKs on the sockets' event loop; the rest on the worker.
 */
public final class HaMaster extends VerticleBase {
    private static final Logger LOG = LoggerFactory.getLogger(HaMaster.class);
    static final long POLL_MS = 5;

    private final ReplicaLog log;
    private final String host;
    /** Set once before deployment: the remoting port, hence the default HA port, is known only then. */
    private volatile int requestedPort;
    /** Whether a taken port may be replaced by an ephemeral one (the port was the default, not configured). */
    private volatile boolean portIsDefault;
    private final int batchBytes;
    private final long heartbeatNanos;
    private final int slavesNeeded;
    private final long maxGapBytes;
    private final SyncReplicaWaiters waiters;
    private final CopyOnWriteArrayList<SlaveSession> sessions = new CopyOnWriteArrayList<>();
    private final AtomicBoolean wakePending = new AtomicBoolean();
    private volatile Context workerContext;
    /** The event loop the slaves' sockets run on (ACKs are handled there). */
    private ContextInternal ioContext;
    /** Controller mode: only members of the group's SyncStateSet count for acks and the in-sync check. */
    private volatile java.util.function.LongPredicate countsForAcks = id -> true;
    private volatile int port;
    private NetServer server;
    private volatile long timer = -1;
    private boolean stopped;

    /**
     * @param slavesNeeded slaves whose acknowledgement completes a waiter (inSyncReplicas − 1; 0 = nobody waits)
     * @param waiters      the SYNC_MASTER waiters, or null under ASYNC_MASTER
     */
    HaMaster(ReplicaLog log, String host, int batchBytes, long heartbeatMs, int slavesNeeded,
             long maxGapBytes, SyncReplicaWaiters waiters) {
        this.log = log;
        this.host = host;
        this.batchBytes = batchBytes;
        this.heartbeatNanos = heartbeatMs * 1_000_000L;
        this.slavesNeeded = slavesNeeded;
        this.maxGapBytes = maxGapBytes;
        this.waiters = waiters;
    }

    @Override
    public Future<?> start() {
        workerContext = context;
        ioContext = ((VertxInternal) vertx).createEventLoopContext();
        return listen(requestedPort).recover(e -> {
            if (!portIsDefault || requestedPort == 0) {
                return Future.failedFuture(e);
            }
            // slaves learn the actual port from the nameservers, so a busy default port need not stop the broker
            LOG.warn("replication: port {} is taken ({}); listening on an ephemeral port", requestedPort, e.toString());
            return listen(0);
        }).onSuccess(s -> {
            port = s.actualPort();
            LOG.info("replication: master listening for slaves on {}:{}", host, port);
        });
    }

    private Future<NetServer> listen(int listenPort) {
        server = vertx.createNetServer(new NetServerOptions().setHost(host).setPort(listenPort).setTcpNoDelay(true));
        server.connectHandler(this::onConnect);
        // bound from an event-loop context, so connections' handlers run there and not on this worker
        Promise<NetServer> bound = ((ContextInternal) workerContext).promise();
        NetServer s = server;
        ioContext.runOnContext(v -> s.listen().onComplete(bound));
        return bound.future();
    }

    @Override
    public Future<?> stop() {
        stopped = true;
        vertx.cancelTimer(timer);
        sessions.forEach(SlaveSession::close);
        sessions.clear();
        if (waiters != null) {
            waiters.expireAll();
        }
        return server.close();
    }

    /**
     * The port to listen on (0 = ephemeral); before deployment. A default port that is taken is replaced by an
     * ephemeral one; a configured one fails the start.
     */
    void listenOn(int haPort, boolean isDefault) {
        this.requestedPort = haPort;
        this.portIsDefault = isDefault;
    }

    /** Controller mode: the slaves whose acks count (the SyncStateSet the controller committed); any thread. */
    void countAcksOnlyOf(java.util.function.LongPredicate members) {
        this.countsForAcks = members;
    }

    /** Whether the poll timer runs: a slave is connected or a SYNC_MASTER put waits for one. */
    public boolean polling() {
        return timer != -1;
    }

    /** The bound replication port; 0 before start. */
    public int port() {
        return port;
    }

    /** On the sockets' event loop. */
    private void onConnect(NetSocket socket) {
        Context worker = workerContext;
        SlaveSession session = new SlaveSession(socket, log, batchBytes, this::onAck);
        socket.drainHandler(v -> worker.runOnContext(x -> session.pump()));
        sessions.add(session);
        worker.runOnContext(v -> startTicking());
        socket.handler(HaProtocol.parser(f -> onFrame(session, f, worker), reason -> {
            LOG.warn("slave at {}: {}", socket.remoteAddress(), reason);
            socket.close();
        }));
        socket.closeHandler(v -> {
            sessions.remove(session);
            LOG.info("slave {} at {} disconnected", session.brokerId(), session.remoteAddress());
        });
        socket.exceptionHandler(e -> LOG.debug("slave connection {}: {}", socket.remoteAddress(), e.toString()));
    }

    /** On the sockets' event loop: an ACK is handled here, anything else on the worker. */
    private static void onFrame(SlaveSession session, Frame f, Context worker) {
        session.heard();
        if (f.type() == HaProtocol.ACK) {
            session.acked(f.longAt(0));
        } else {
            Frame own = new Frame(f.type(), f.payload().copy());
            worker.runOnContext(v -> session.onFrame(own));
        }
    }

    /** Sends pending bytes to every slave soon, on the worker (coalesced: one task however many puts ask). */
    void wake() {
        Context c = workerContext;
        if (c != null && wakePending.compareAndSet(false, true)) {
            c.runOnContext(v -> {
                wakePending.set(false);
                startTicking();
                sessions.forEach(SlaveSession::pump);
            });
        }
    }

    private void tick() {
        long now = System.nanoTime();
        List<SlaveSession> silent = new ArrayList<>();
        for (SlaveSession s : sessions) {
            s.pump();
            if (s.tick(now, heartbeatNanos)) {
                silent.add(s);
            }
        }
        silent.forEach(SlaveSession::close);
        if (waiters != null) {
            waiters.expire(now);
        }
        if (sessions.isEmpty() && (waiters == null || waiters.size() == 0)) {
            vertx.cancelTimer(timer);
            timer = -1;
        }
    }

    /** Worker: polls every {@link #POLL_MS} ms from now on, until nobody is served ({@link #tick}). */
    private void startTicking() {
        if (timer == -1 && !stopped) {
            timer = vertx.setPeriodic(POLL_MS, id -> tick());
        }
    }

    /** After a slave's acknowledged offset rose: on the sockets' event loop, or on the worker after a handshake. */
    private void onAck() {
        if (waiters != null && slavesNeeded > 0) {
            long covered = nthHighestAck(slavesNeeded);
            if (covered >= 0) {
                waiters.acked(covered);
            }
        }
    }

    /** The offset that at least {@code n} streaming slaves acknowledged, or -1 when fewer are connected. */
    private long nthHighestAck(int n) {
        if (n == 1) {
            long best = -1;
            for (SlaveSession s : sessions) {
                if (s.isStreaming() && countsForAcks.test(s.brokerId())) {
                    best = Math.max(best, s.ackedOffset());
                }
            }
            return best;
        }
        long[] acks = sessions.stream().filter(s -> s.isStreaming() && countsForAcks.test(s.brokerId())).mapToLong(SlaveSession::ackedOffset)
                .sorted().toArray();
        return acks.length < n ? -1 : acks[acks.length - n];
    }

    /** Whether enough slaves are connected and within maxGap of {@code endOffset} for a SYNC_MASTER put to wait. */
    boolean inSync(long endOffset) {
        int ok = 0;
        for (SlaveSession s : sessions) {
            if (s.isStreaming() && endOffset - s.ackedOffset() < maxGapBytes && countsForAcks.test(s.brokerId())) {
                ok++;
            }
        }
        return ok >= slavesNeeded;
    }

    /** The connected slaves as now seen, for metrics and the admin API. */
    public List<SlaveStatus> slaves() {
        long end = log.maxOffset();
        List<SlaveStatus> out = new ArrayList<>();
        for (SlaveSession s : sessions) {
            long acked = s.ackedOffset();
            out.add(new SlaveStatus(s.brokerId(), s.remoteAddress(), s.isStreaming(), acked,
                    acked < 0 ? end : Math.max(0, end - acked)));
        }
        return out;
    }

    /** One connected slave: its id, address, whether it streams, its acknowledged offset and lag in bytes. */
    public record SlaveStatus(long brokerId, String address, boolean streaming, long ackedOffset, long lagBytes) {
    }
}

package io.tern.remoting.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tern.remoting.ConnectionListener;
import io.tern.remoting.ProcessorTable;
import io.tern.remoting.RemotingServer;
import io.tern.remoting.protocol.RemotingCommand;
import io.tern.remoting.protocol.ResponseCode;
import io.vertx.core.Promise;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The remoting server's limits against abuse, driven by raw sockets. */
class ConnectionLimitsTest {
    private static final int ECHO = 1;
    private static final int NEVER_ANSWERED = 2;
    private Vertx vertx;
    private final List<Promise<RemotingCommand>> unanswered = new CopyOnWriteArrayList<>();

    @BeforeEach
    void vertx() {
        vertx = Vertx.vertx();
    }

    @AfterEach
    void close() throws Exception {
        vertx.close().await(10, TimeUnit.SECONDS);
    }

    private int serve(ConnectionGuard guard) throws Exception {
        ProcessorTable table = new ProcessorTable()
                .register(ECHO, (c, req) -> Future.succeededFuture(RemotingCommand.successTo(req)))
                .register(NEVER_ANSWERED, (c, req) -> {
                    Promise<RemotingCommand> p = Promise.promise();
                    unanswered.add(p);
                    return p.future();
                });
        return RemotingServer.deploy(vertx, "127.0.0.1", 0, 2, table, ConnectionListener.NONE, TlsSettings.DISABLED,
                guard).await(10, TimeUnit.SECONDS).port();
    }

    private static ConnectionLimits limits(int max, int perAddress, int idleSeconds, long frameMs, int inFlight) {
        return new ConnectionLimits(max, perAddress, idleSeconds, frameMs, inFlight);
    }

    private static boolean answers(Socket socket) throws Exception {
        return RawRemoting.call(socket, RemotingCommand.request(ECHO)).code() == ResponseCode.SUCCESS;
    }

    /** Waits until the guard has counted one more for {@code reason} (the server closes asynchronously). */
    private static void awaitCount(ConnectionGuard guard, ConnectionGuard.Reason reason, long expected)
            throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (guard.total(reason) < expected && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertEquals(expected, guard.total(reason), reason.label());
    }

    @Test
    void connectionsOverTheBrokerLimitAreClosedAndSlotsComeBack() throws Exception {
        ConnectionGuard guard = new ConnectionGuard(limits(2, 0, 120, 30_000, 100));
        int port = serve(guard);
        try (Socket a = RawRemoting.plainSocket(port); Socket b = RawRemoting.plainSocket(port)) {
            assertTrue(answers(a));
            assertTrue(answers(b));
            try (Socket c = RawRemoting.plainSocket(port)) {
                assertTrue(RawRemoting.closedByServer(c), "third connection refused");
            }
            awaitCount(guard, ConnectionGuard.Reason.MAX_CONNECTIONS, 1);
            assertTrue(answers(a), "admitted connections keep working");
        }
        awaitOpen(guard, 0);
        try (Socket again = RawRemoting.plainSocket(port)) {
            assertTrue(answers(again), "closed connections give their slots back");
        }
    }

    @Test
    void connectionsOverThePerAddressLimitAreClosed() throws Exception {
        ConnectionGuard guard = new ConnectionGuard(limits(0, 1, 120, 30_000, 100));
        int port = serve(guard);
        try (Socket a = RawRemoting.plainSocket(port)) {
            assertTrue(answers(a));
            try (Socket b = RawRemoting.plainSocket(port)) {
                assertTrue(RawRemoting.closedByServer(b));
            }
            awaitCount(guard, ConnectionGuard.Reason.MAX_CONNECTIONS_PER_ADDRESS, 1);
            assertTrue(answers(a));
        }
    }

    @Test
    void idleConnectionIsClosed() throws Exception {
        ConnectionGuard guard = new ConnectionGuard(limits(0, 0, 1, 30_000, 100));
        int port = serve(guard);
        try (Socket idle = RawRemoting.plainSocket(port)) {
            assertTrue(answers(idle));
            assertTrue(RawRemoting.closedByServer(idle), "closed after a second without traffic");
        }
        awaitCount(guard, ConnectionGuard.Reason.IDLE, 1);
    }

    @Test
    void frameTricklingInSlowerThanTheBoundIsDropped() throws Exception {
        ConnectionGuard guard = new ConnectionGuard(limits(0, 0, 120, 300, 100));
        int port = serve(guard);
        try (Socket slow = RawRemoting.plainSocket(port); Socket fast = RawRemoting.plainSocket(port)) {
            OutputStream out = slow.getOutputStream();
            out.write(ByteBuffer.allocate(8).putInt(1024 * 1024).putInt(0x0000_0010).array()); // announces 1 MiB
            out.flush();
            boolean closed = false;
            for (int i = 0; i < 400 && !closed; i++) {   // one byte per 25 ms: never idle, never a whole frame
                try {
                    out.write('x');
                    out.flush();
                    Thread.sleep(25);
                } catch (java.io.IOException e) {
                    closed = true;
                }
                closed |= guard.total(ConnectionGuard.Reason.SLOW_FRAME) > 0;
            }
            assertTrue(RawRemoting.closedByServer(slow));
            awaitCount(guard, ConnectionGuard.Reason.SLOW_FRAME, 1);
            assertTrue(answers(fast), "frames that arrive whole are untouched");
        }
    }

    @Test
    void requestsBeyondTheInFlightBoundAreAnsweredSystemBusy() throws Exception {
        ConnectionGuard guard = new ConnectionGuard(limits(0, 0, 120, 30_000, 2));
        int port = serve(guard);
        try (Socket s = RawRemoting.plainSocket(port)) {
            RawRemoting.write(s, RemotingCommand.request(NEVER_ANSWERED));
            RawRemoting.write(s, RemotingCommand.request(NEVER_ANSWERED));
            RemotingCommand third = RawRemoting.call(s, RemotingCommand.request(ECHO));
            assertEquals(ResponseCode.SYSTEM_BUSY, third.code());
            assertTrue(third.remark().contains("in flight"), third.remark());
            assertEquals(1, guard.total(ConnectionGuard.Reason.IN_FLIGHT));
            unanswered.get(0).complete(RemotingCommand.successTo(RemotingCommand.request(NEVER_ANSWERED)));
            RawRemoting.read(s);     // the first one's answer frees a slot
            assertTrue(answers(s));
        }
    }

    private static void awaitOpen(ConnectionGuard guard, int expected) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (guard.openConnections() != expected && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertEquals(expected, guard.openConnections());
    }
}

package io.tern.remoting;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tern.remoting.protocol.RemotingCommand;
import io.tern.remoting.protocol.ResponseCode;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class LocalChannelTest {
    private static final int CODE = 42;
    private final Vertx vertx = Vertx.vertx();

    @AfterEach
    void close() throws Exception {
        vertx.close().await(10, TimeUnit.SECONDS);
    }

    private static RemotingCommand await(Future<RemotingCommand> f) throws Exception {
        return f.await(10, TimeUnit.SECONDS);
    }

    @Test
    void processorsRunOnTheChannelsEventLoopOrOnAWorker() throws Exception {
        AtomicReference<Context> ranOn = new AtomicReference<>();
        AtomicReference<Boolean> onWorker = new AtomicReference<>();
        ProcessorTable table = new ProcessorTable()
                .register(CODE, (channel, req) -> {
                    ranOn.set(Vertx.currentContext());
                    return Future.succeededFuture(RemotingCommand.successTo(req).put("who", channel.remoteAddress()));
                })
                .registerBlocking(CODE + 1, (channel, req) -> {
                    onWorker.set(Context.isOnWorkerThread());
                    return Future.succeededFuture(RemotingCommand.successTo(req));
                });
        LocalChannel channel = new LocalChannel(vertx, table);

        RemotingCommand request = RemotingCommand.request(CODE);
        RemotingCommand response = await(channel.call(request));
        assertEquals(ResponseCode.SUCCESS, response.code());
        assertTrue(response.isResponse());
        assertEquals(request.opaque(), response.opaque());
        assertEquals("127.0.0.1:0", response.ext("who"));
        assertSame(channel.context(), ranOn.get());
        assertTrue(channel.context().isEventLoopContext());

        assertEquals(ResponseCode.SUCCESS, await(channel.call(RemotingCommand.request(CODE + 1))).code());
        assertTrue(onWorker.get());
    }

    @Test
    void failuresAndUnknownCodesAreAnsweredAsOverTcp() throws Exception {
        ProcessorTable table = new ProcessorTable().register(CODE, (channel, req) -> {
            throw new IllegalStateException("boom");
        });
        LocalChannel channel = new LocalChannel(vertx, table);
        RemotingCommand failed = await(channel.call(RemotingCommand.request(CODE)));
        assertEquals(ResponseCode.SYSTEM_ERROR, failed.code());
        assertEquals("boom", failed.remark());
        assertEquals(ResponseCode.REQUEST_CODE_NOT_SUPPORTED, await(channel.call(RemotingCommand.request(7))).code());
        assertNull(await(channel.call(RemotingCommand.onewayRequest(7))));
    }

    @Test
    void requestsToThePeerGoToItsHandlerOrFail() throws Exception {
        LocalChannel channel = new LocalChannel(vertx, new ProcessorTable());
        Throwable noPeer = assertFails(channel.request(RemotingCommand.request(CODE), 1000));
        assertTrue(noPeer instanceof IllegalStateException, String.valueOf(noPeer));

        Promise<RemotingCommand> never = Promise.promise();
        AtomicReference<RemotingCommand> oneway = new AtomicReference<>();
        channel.peerHandler(req -> {
            if (req.isOneway()) {
                oneway.set(req);
                return Future.succeededFuture();
            }
            return req.code() == CODE ? Future.succeededFuture(RemotingCommand.successTo(req)) : never.future();
        });
        assertEquals(ResponseCode.SUCCESS, await(channel.request(RemotingCommand.request(CODE), 1000)).code());
        channel.oneway(RemotingCommand.request(CODE + 1));
        assertEquals(CODE + 1, oneway.get().code());
        assertTrue(assertFails(channel.request(RemotingCommand.request(CODE + 2), 50)) instanceof TimeoutException);
    }

    @Test
    void closingFailsWaitingCallsAndRunsCloseHandlers() throws Exception {
        Promise<RemotingCommand> later = Promise.promise();
        LocalChannel channel = new LocalChannel(vertx, new ProcessorTable().register(CODE, (c, req) -> later.future()));
        AtomicReference<RemotingChannel> closed = new AtomicReference<>();
        channel.closeHandler(closed::set);
        Future<RemotingCommand> waiting = channel.call(RemotingCommand.request(CODE));
        assertFalse(channel.isClosed());
        channel.close().await(10, TimeUnit.SECONDS);
        assertTrue(channel.isClosed());
        assertSame(channel, closed.get());
        assertTrue(assertFails(waiting) instanceof IllegalStateException);
        assertTrue(assertFails(channel.call(RemotingCommand.request(CODE))) instanceof IllegalStateException);
    }

    private static Throwable assertFails(Future<?> f) throws Exception {
        try {
            f.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            return e.getCause();
        }
        throw new AssertionError("expected a failure, got " + f.result());
    }
}

package io.tern.remoting;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tern.remoting.protocol.RemotingCommand;
import io.tern.remoting.protocol.ResponseCode;
import io.tern.remoting.protocol.SerializeType;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.io.DataInputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class RemotingServerClientTest {
    private Vertx vertx;
    private RemotingServer server;
    private RemotingClient client;
    private final AtomicInteger onewayCount = new AtomicInteger();

    @BeforeEach
    void start() throws Exception {
        vertx = Vertx.vertx();
        ProcessorTable table = new ProcessorTable()
                .register(1, (c, req) -> Future.succeededFuture(
                        RemotingCommand.successTo(req).put("echo", req.ext("v")).body(req.bodyBytes())))
                .register(2, (c, req) -> {
                    throw new IllegalStateException("boom");
                })
                .register(5, (c, req) -> {
                    throw new StackOverflowError("deep");
                })
                .register(3, (c, req) -> {
                    onewayCount.incrementAndGet();
                    return Future.succeededFuture(RemotingCommand.successTo(req));
                })
                .registerBlocking(4, (c, req) -> Future.succeededFuture(RemotingCommand.successTo(req).put("worker",
                        String.valueOf(Thread.currentThread().getName().contains("worker")))));
        server = RemotingServer.deploy(vertx, "127.0.0.1", 0, 2, table, ConnectionListener.NONE)
                .await(10, TimeUnit.SECONDS);
        client = new RemotingClient(vertx);
    }

    @AfterEach
    void stop() throws Exception {
        client.close().await(5, TimeUnit.SECONDS);
        vertx.close().await(10, TimeUnit.SECONDS);
    }

    private String addr() {
        return "127.0.0.1:" + server.port();
    }

    @Test
    void requestResponseInBothCodecs() throws Exception {
        for (byte type : new byte[] {SerializeType.JSON, SerializeType.ROCKETMQ}) {
            RemotingCommand resp = client.invoke(addr(), RemotingCommand.request(1).put("v", "x")
                    .body(new byte[100_000]).serializeType(type), 3000).await(5, TimeUnit.SECONDS);
            assertEquals(ResponseCode.SUCCESS, resp.code());
            assertEquals("x", resp.ext("echo"));
            assertEquals(100_000, resp.body().length());
            assertEquals(type, resp.serializeType(), "reply in the request's codec");
        }
    }

    @Test
    void errorsAndUnknownCodesAreAnswered() throws Exception {
        RemotingCommand failed = client.invoke(addr(), RemotingCommand.request(2), 3000).await(5, TimeUnit.SECONDS);
        assertEquals(ResponseCode.SYSTEM_ERROR, failed.code());
        assertEquals("boom", failed.remark());
        RemotingCommand error = client.invoke(addr(), RemotingCommand.request(5), 3000).await(5, TimeUnit.SECONDS);
        assertEquals(ResponseCode.SYSTEM_ERROR, error.code(), "an Error in a processor is answered too");
        RemotingCommand unknown = client.invoke(addr(), RemotingCommand.request(9999), 3000).await(5, TimeUnit.SECONDS);
        assertEquals(ResponseCode.REQUEST_CODE_NOT_SUPPORTED, unknown.code());
        RemotingCommand blocking = client.invoke(addr(), RemotingCommand.request(4), 3000).await(5, TimeUnit.SECONDS);
        assertEquals("true", blocking.ext("worker"));
    }

    @Test
    void onewayIsNotAnswered() throws Exception {
        client.invokeOneway(addr(), RemotingCommand.onewayRequest(3)).await(5, TimeUnit.SECONDS);
        // a later request on the same connection gets its own response, not the oneway's
        RemotingCommand resp = client.invoke(addr(), RemotingCommand.request(1).put("v", "after"), 3000)
                .await(5, TimeUnit.SECONDS);
        assertEquals("after", resp.ext("echo"));
        assertEquals(1, onewayCount.get());
    }

    @Test
    void hugeLengthClosesTheConnectionAndServerStaysUp() throws Exception {
        try (Socket raw = new Socket("127.0.0.1", server.port())) {
            raw.setSoTimeout(5000);
            OutputStream out = raw.getOutputStream();
            out.write(new byte[] {0x40, 0, 0, 0, 0, 0, 0, 0});
            out.flush();
            assertEquals(-1, new DataInputStream(raw.getInputStream()).read(), "server closed the connection");
        }
        RemotingCommand resp = client.invoke(addr(), RemotingCommand.request(1).put("v", "ok"), 3000)
                .await(5, TimeUnit.SECONDS);
        assertTrue("ok".equals(resp.ext("echo")));
    }

    @Test
    void twoEphemeralServersInOneVertxGetTheirOwnPorts() throws Exception {
        RemotingServer other = RemotingServer.deploy(vertx, "127.0.0.1", 0, 2,
                new ProcessorTable().register(1, (c, req) -> Future.succeededFuture(
                        RemotingCommand.successTo(req).put("echo", "other"))), ConnectionListener.NONE)
                .await(10, TimeUnit.SECONDS);
        assertTrue(other.port() != server.port());
        RemotingCommand resp = client.invoke("127.0.0.1:" + other.port(), RemotingCommand.request(1), 3000)
                .await(5, TimeUnit.SECONDS);
        assertEquals("other", resp.ext("echo"));
        other.close().await(5, TimeUnit.SECONDS);
    }
}

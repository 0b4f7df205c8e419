package io.tern.remoting.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tern.remoting.ConnectionListener;
import io.tern.remoting.ProcessorTable;
import io.tern.remoting.RemotingClient;
import io.tern.remoting.RemotingServer;
import io.tern.remoting.protocol.RemotingCommand;
import io.tern.remoting.protocol.ResponseCode;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.net.Socket;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** TLS on a remoting port, with JDK sockets as clients: the modes decide who gets answered. */
class RemotingTlsTest {
    private static final int ECHO = 1;
    @TempDir
    static Path dir;
    private static SelfSignedPem pem;
    private Vertx vertx;
    private ConnectionGuard guard;

    @BeforeAll
    static void certificate() throws Exception {
        pem = SelfSignedPem.create(dir, "server");
    }

    @BeforeEach
    void vertx() {
        vertx = Vertx.vertx();
        guard = ConnectionGuard.withDefaults();
    }

    @AfterEach
    void close() throws Exception {
        vertx.close().await(10, TimeUnit.SECONDS);
    }

    private int serve(TlsMode mode) throws Exception {
        return serve(new TlsSettings(mode, pem.certFile().toString(), pem.keyFile().toString(), "", "none"));
    }

    private int serve(TlsSettings tls) throws Exception {
        ProcessorTable table = new ProcessorTable().register(ECHO, (c, req) -> Future.succeededFuture(
                RemotingCommand.successTo(req).put("echo", req.ext("v"))));
        return RemotingServer.deploy(vertx, "127.0.0.1", 0, 2, table, ConnectionListener.NONE, tls, guard)
                .await(10, TimeUnit.SECONDS).port();
    }

    private static void assertEchoes(Socket socket) throws Exception {
        RemotingCommand response = RawRemoting.call(socket, RemotingCommand.request(ECHO).put("v", "hello"));
        assertEquals(ResponseCode.SUCCESS, response.code());
        assertEquals("hello", response.ext("echo"));
    }

    @Test
    void enforcingAnswersTlsAndClosesPlaintext() throws Exception {
        int port = serve(TlsMode.ENFORCING);
        try (SSLSocket tls = RawRemoting.tlsSocket(port)) {
            assertEquals("CN=localhost", tls.getSession().getPeerPrincipal().getName());
            assertEchoes(tls);
            assertEchoes(tls);
        }
        try (Socket plain = RawRemoting.plainSocket(port)) {
            RawRemoting.write(plain, RemotingCommand.request(ECHO).put("v", "hello"));
            assertTrue(RawRemoting.closedByServer(plain), "a plaintext frame on an enforcing port closes it");
        }
        RemotingClient plaintextClient = new RemotingClient(vertx);
        try {
            assertThrows(Exception.class, () -> plaintextClient.invoke("127.0.0.1:" + port,
                    RemotingCommand.request(ECHO), 5_000).await(10, TimeUnit.SECONDS));
        } finally {
            plaintextClient.close().await(5, TimeUnit.SECONDS);
        }
        assertTrue(guard.total(ConnectionGuard.Reason.TLS_HANDSHAKE) >= 1, "refused handshakes are counted");
    }

    @Test
    void permissiveAnswersTlsAndPlaintextOnOnePort() throws Exception {
        int port = serve(TlsMode.PERMISSIVE);
        try (SSLSocket tls = RawRemoting.tlsSocket(port); Socket plain = RawRemoting.plainSocket(port)) {
            assertEchoes(tls);
            assertEchoes(plain);
            assertEchoes(tls);
            assertEchoes(plain);
        }
        assertEquals(0, guard.total(ConnectionGuard.Reason.TLS_HANDSHAKE));
    }

    @Test
    void requiredClientCertificatesMustChainToTheTrustFile() throws Exception {
        SelfSignedPem trustedClient = SelfSignedPem.create(dir, "client");
        SelfSignedPem strangerClient = SelfSignedPem.create(dir, "stranger");
        int port = serve(new TlsSettings(TlsMode.ENFORCING, pem.certFile().toString(), pem.keyFile().toString(),
                trustedClient.certFile().toString(), "require"));
        try (SSLSocket tls = RawRemoting.tlsSocket(port, trustedClient.keyManagers())) {
            assertEchoes(tls);
        }
        for (SelfSignedPem refused : new SelfSignedPem[] {null, strangerClient}) {
            // TLS 1.3 reports the server's refusal of the client certificate at the first read, not the handshake
            assertThrows(Exception.class, () -> {
                try (SSLSocket tls = RawRemoting.tlsSocket(port, refused == null ? null : refused.keyManagers())) {
                    assertEchoes(tls);
                }
            });
        }
    }

    @Test
    void disabledSpeaksPlaintextOnly() throws Exception {
        int port = serve(TlsMode.DISABLED);
        try (Socket plain = RawRemoting.plainSocket(port)) {
            assertEchoes(plain);
        }
        assertThrows(Exception.class, () -> RawRemoting.tlsSocket(port).close());
    }

    @Test
    void unreadableKeyFailsTheDeployWithTheFileNamed() {
        TlsSettings tls = new TlsSettings(TlsMode.ENFORCING, pem.certFile().toString(),
                dir.resolve("missing.pem").toString(), "", "none");
        Exception e = assertThrows(Exception.class, () -> RemotingServer.deploy(vertx, "127.0.0.1", 0, 1,
                new ProcessorTable(), ConnectionListener.NONE, tls, guard).await(10, TimeUnit.SECONDS));
        assertTrue(e.getMessage().contains("missing.pem"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new TlsSettings(TlsMode.PERMISSIVE, "", "", "", "none"));
        assertThrows(IllegalArgumentException.class, () -> TlsMode.parse("strict"));
    }
}

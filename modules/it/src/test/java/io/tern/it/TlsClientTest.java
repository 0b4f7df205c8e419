package io.tern.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tern.broker.Broker;
import io.tern.broker.BrokerConfig;
import io.tern.nameserver.NameServer;
import io.tern.nameserver.NameServerConfig;
import io.tern.remoting.RemotingConnection;
import io.tern.remoting.protocol.RemotingCommand;
import io.tern.remoting.protocol.RequestCode;
import io.tern.remoting.security.RawRemoting;
import io.tern.remoting.security.SelfSignedPem;
import io.tern.server.EmbeddedTern;
import io.tern.server.EmbeddedTernOptions;
import io.vertx.core.Vertx;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLSocket;
import org.apache.rocketmq.client.producer.DefaultMQProducer;
import org.apache.rocketmq.common.message.Message;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * TLS on the remoting ports with the official 4.9.8 client started with {@code -Dtls.enable=true} (in a child JVM,
 * {@link TlsClientMain}): it produces and consumes against a nameserver and broker in enforcing and in permissive
 * mode; a plaintext client is refused by enforcing ones.
 */
class TlsClientTest {
    private static final int MESSAGES = 20;
    @TempDir
    static Path dir;
    private static SelfSignedPem pem;

    @BeforeAll
    static void certificate() throws Exception {
        pem = SelfSignedPem.create(dir.resolve("tls"), "tern");
    }

    private static EmbeddedTern start(String mode, String name) {
        EmbeddedTernOptions options = new EmbeddedTernOptions(dir.resolve(name));
        for (String key : new String[] {"tlsMode", "tlsCertFile", "tlsKeyFile"}) {
            Object value = switch (key) {
                case "tlsMode" -> mode;
                case "tlsCertFile" -> pem.certFile().toString();
                default -> pem.keyFile().toString();
            };
            options.nameServer(key, value).broker(key, value);
        }
        return EmbeddedTern.start(options);
    }

    @Test
    void officialClientOverTlsAgainstEnforcing() throws Exception {
        try (EmbeddedTern tern = start("enforcing", "enforcing")) {
            assertClientOverTls(tern, "TLS_ENFORCING");
            for (String addr : new String[] {tern.namesrvAddr(), tern.brokerAddr()}) {
                int port = Integer.parseInt(addr.substring(addr.indexOf(':') + 1));
                try (Socket plain = RawRemoting.plainSocket(port)) {
                    RawRemoting.write(plain, RemotingCommand.request(RequestCode.GET_BROKER_CLUSTER_INFO));
                    assertTrue(RawRemoting.closedByServer(plain), "plaintext refused at " + addr);
                }
            }
            assertPlaintextClientRefused(tern);
        }
    }

    @Test
    void officialClientOverTlsAndPlaintextAgainstPermissive() throws Exception {
        try (EmbeddedTern tern = start("permissive", "permissive")) {
            assertClientOverTls(tern, "TLS_PERMISSIVE");
            DefaultMQProducer plaintext = Clients.producer(tern.namesrvAddr());
            try {
                plaintext.start();
                assertEquals("SEND_OK", plaintext.send(new Message("TLS_PERMISSIVE", "plain".getBytes()))
                        .getSendStatus().name(), "plaintext on the same ports");
            } finally {
                Clients.shutdown(plaintext);
            }
            int port = Integer.parseInt(tern.brokerAddr().substring(tern.brokerAddr().indexOf(':') + 1));
            try (SSLSocket tls = RawRemoting.tlsSocket(port)) {
                assertEquals(0, RawRemoting.call(tls, RemotingCommand.request(RequestCode.GET_BROKER_RUNTIME_INFO))
                        .code());
            }
        }
    }

    @Test
    void brokerRegistersOverTlsWithAnEnforcingNameserverOfAnotherVertx() throws Exception {
        Vertx nameServerVertx = Vertx.vertx();
        Vertx brokerVertx = Vertx.vertx();
        try {
            NameServerConfig nsConfig = new NameServerConfig();
            nsConfig.listenPort = 0;
            nsConfig.serverInstances = 1;
            nsConfig.kvConfigPath = dir.resolve("separate-kv.json").toString();
            nsConfig.tlsMode = "enforcing";
            nsConfig.tlsCertFile = pem.certFile().toString();
            nsConfig.tlsKeyFile = pem.keyFile().toString();
            NameServer nameServer = NameServer.start(nameServerVertx, nsConfig).await(30, TimeUnit.SECONDS);
            BrokerConfig config = new BrokerConfig();
            config.listenPort = 0;
            config.httpPort = -1;
            config.remotingInstances = 1;
            config.namesrvAddr = "127.0.0.1:" + nameServer.port();
            config.store.storeRoot = dir.resolve("separate-store").toString();
            config.store.commitLogSegmentBytes = 4 * 1024 * 1024;
            config.store.warmMappedFile = false;
            config.tlsMode = "enforcing";
            config.tlsCertFile = pem.certFile().toString();
            config.tlsKeyFile = pem.keyFile().toString();
            Broker broker = Broker.start(brokerVertx, config).await(30, TimeUnit.SECONDS);
            try {
                Await.until("broker registered over TCP", 30_000,
                        () -> nameServer.registry().registeredOver(broker.address()) != null);
                assertTrue(nameServer.registry().registeredOver(broker.address()) instanceof RemotingConnection,
                        "a TCP (TLS) connection, not the event bus");
            } finally {
                broker.stop().await(30, TimeUnit.SECONDS);
            }
        } finally {
            brokerVertx.close().await(30, TimeUnit.SECONDS);
            nameServerVertx.close().await(30, TimeUnit.SECONDS);
        }
    }

    /** The client in this JVM has TLS off (tls.enable is unset here): enforcing ports do not let it in. */
    private static void assertPlaintextClientRefused(EmbeddedTern tern) throws Exception {
        DefaultMQProducer plaintext = Clients.producer(tern.namesrvAddr());
        plaintext.setSendMsgTimeout(3_000);
        try {
            plaintext.start();
            assertThrows(Exception.class, () -> plaintext.send(new Message("TLS_ENFORCING", "plain".getBytes())));
        } finally {
            Clients.shutdown(plaintext);
        }
    }

    private static void assertClientOverTls(EmbeddedTern tern, String topic) throws Exception {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dtls.enable=true",
                "-Xmx256m",
                "-Drocketmq.client.logRoot=" + System.getProperty("rocketmq.client.logRoot",
                        dir.resolve("client-logs").toString()),
                "-cp", System.getProperty("java.class.path"),
                TlsClientMain.class.getName(), tern.namesrvAddr(), topic, Integer.toString(MESSAGES)));
        Process client = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(client.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        System.out.println("client JVM (-Dtls.enable=true) against " + topic + ":\n" + output);
        assertTrue(client.waitFor(120, TimeUnit.SECONDS), "client JVM did not exit:\n" + output);
        assertEquals(0, client.exitValue(), output);
        assertTrue(output.contains("sent " + MESSAGES + " received " + MESSAGES), output);
    }
}

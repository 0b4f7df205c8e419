package io.tern.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tern.remoting.security.SelfSignedPem;
import io.tern.server.EmbeddedTern;
import io.tern.server.EmbeddedTernOptions;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** tern-admin against a nameserver and broker that enforce TLS: --tls / --tls-trust or the environment. */
class TlsCliTest {
    @TempDir
    static Path dir;
    static EmbeddedTern tern;
    static SelfSignedPem pem;
    static SelfSignedPem otherCa;

    @BeforeAll
    static void startTern() throws Exception {
        pem = SelfSignedPem.create(dir.resolve("tls"), "tern");
        otherCa = SelfSignedPem.create(dir.resolve("other"), "someone-else");
        EmbeddedTernOptions options = new EmbeddedTernOptions(dir.resolve("store"));
        for (String[] kv : new String[][] {{"tlsMode", "enforcing"}, {"tlsCertFile", pem.certFile().toString()},
                {"tlsKeyFile", pem.keyFile().toString()}}) {
            options.nameServer(kv[0], kv[1]).broker(kv[0], kv[1]);
        }
        tern = EmbeddedTern.start(options);
    }

    @AfterAll
    static void stopTern() {
        if (tern != null) {
            tern.close();
        }
    }

    static CliRun run(Map<String, String> env, String... args) {
        return CliRun.against(tern.namesrvAddr(), env, args);
    }

    @Test
    void plaintextIsRefused() {
        CliRun run = run(Map.of(), "clusterList");
        assertEquals(TernAdmin.EXIT_FAILED, run.exitCode(), run::toString);
    }

    @Test
    void tlsReachesNameserverAndBroker() {
        CliRun run = run(Map.of(), "clusterList", "--tls");
        assertEquals(0, run.exitCode(), run::toString);
        assertTrue(run.out().contains(tern.brokerName()), run::toString);
        // a broker call, not only the nameserver: the topic is created on the broker the cluster lists
        CliRun create = run(Map.of(), "updateTopic", "-t", "CliTlsTopic", "-c", tern.clusterName(), "--tls-trust",
                pem.certFile().toString());
        assertEquals(0, create.exitCode(), create::toString);
        CliRun route = run(Map.of(TernAdmin.TLS_ENV, "true"), "topicRoute", "-t", "CliTlsTopic");
        assertEquals(0, route.exitCode(), route::toString);
        assertTrue(route.out().contains(tern.brokerName()), route::toString);
    }

    @Test
    void aCertificateThatDoesNotChainToTheTrustFileIsRefused() {
        CliRun run = run(Map.of(TernAdmin.TLS_TRUST_ENV, otherCa.certFile().toString()), "clusterList");
        assertEquals(TernAdmin.EXIT_FAILED, run.exitCode(), run::toString);
    }

    @Test
    void anUnreadableTrustFileIsAUsageError() {
        CliRun run = run(Map.of(), "clusterList", "--tls-trust", dir.resolve("missing.pem").toString());
        assertEquals(TernAdmin.EXIT_USAGE, run.exitCode(), run::toString);
        assertTrue(run.err().contains("not readable"), run::toString);
    }
}

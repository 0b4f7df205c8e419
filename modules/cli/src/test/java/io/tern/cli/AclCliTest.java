package io.tern.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tern.server.EmbeddedTern;
import io.tern.server.EmbeddedTernOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** tern-admin against a nameserver and broker with the ACL on: it signs with --access-key/--secret-key or env. */
class AclCliTest {
    static final String RULES = """
            accounts:
              - accessKey: ops-admin
                secretKey: ops-secret-1
                admin: true
              - accessKey: app-reader
                secretKey: reader-secret
                defaultTopicPerm: SUB
                defaultGroupPerm: SUB
            """;

    @TempDir
    static Path dir;
    static EmbeddedTern tern;

    @BeforeAll
    static void startTern() throws Exception {
        Path aclFile = Files.writeString(dir.resolve("acl.yaml"), RULES);
        tern = EmbeddedTern.start(new EmbeddedTernOptions(dir.resolve("store"))
                .nameServer("aclEnable", true).nameServer("aclFile", aclFile.toString())
                .broker("aclEnable", true).broker("aclFile", aclFile.toString()));
    }

    @AfterAll
    static void stopTern() {
        if (tern != null) {
            tern.close();
        }
    }

    /** Runs tern-admin against the embedded nameserver with {@code env} as its environment. */
    static CliRun run(Map<String, String> env, String... args) {
        return CliRun.against(tern.namesrvAddr(), env, args);
    }

    @Test
    void withoutKeysTheServersRefuse() {
        CliRun run = run(Map.of(), "clusterList");
        assertEquals(TernAdmin.EXIT_FAILED, run.exitCode(), run::toString);
        assertTrue(run.err().contains("code 16") && run.err().contains("not signed"), run::toString);
    }

    @Test
    void keysFromOptionsOrEnvironmentSign() {
        CliRun options = run(Map.of(), "clusterList", "--access-key", "app-reader", "--secret-key", "reader-secret");
        assertEquals(0, options.exitCode(), options::toString);
        assertTrue(options.out().contains(tern.brokerName()), options::toString);
        CliRun env = run(Map.of(TernAdmin.ACCESS_KEY_ENV, "app-reader", TernAdmin.SECRET_KEY_ENV, "reader-secret"),
                "clusterList");
        assertEquals(0, env.exitCode(), env::toString);
    }

    @Test
    void administrationNeedsAnAdminAccount() {
        CliRun reader = run(Map.of(), "updateTopic", "-t", "CliAclTopic", "-c", tern.clusterName(),
                "--access-key", "app-reader", "--secret-key", "reader-secret");
        assertEquals(TernAdmin.EXIT_FAILED, reader.exitCode(), reader::toString);
        assertTrue(reader.err().contains("needs an admin account"), reader::toString);
        assertFalse(reader.err().contains("reader-secret"), reader::toString);
        CliRun admin = run(Map.of(TernAdmin.ACCESS_KEY_ENV, "ops-admin", TernAdmin.SECRET_KEY_ENV, "ops-secret-1"),
                "updateTopic", "-t", "CliAclTopic", "-c", tern.clusterName());
        assertEquals(0, admin.exitCode(), admin::toString);
    }

    @Test
    void oneKeyWithoutTheOtherIsAUsageError() {
        CliRun run = run(Map.of(), "clusterList", "--access-key", "app-reader");
        assertEquals(TernAdmin.EXIT_USAGE, run.exitCode(), run::toString);
    }
}

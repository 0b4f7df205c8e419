package io.tern.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tern.server.EmbeddedTern;
import java.nio.file.Path;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

/**
 * Base of the CLI tests: one embedded nameserver + broker per test class (ephemeral ports, temp store) and
 * helpers that run tern-admin in-process against it. Test classes run one after another (surefire default).
 */
abstract class EmbeddedCliTest {
    @TempDir
    static Path storeRoot;
    static EmbeddedTern tern;
    static TestClient client;

    @BeforeAll
    static void startTern() {
        tern = EmbeddedTern.start(storeRoot);
        client = new TestClient();
    }

    @AfterAll
    static void stopTern() throws Exception {
        if (client != null) {
            client.close();
            client = null;
        }
        if (tern != null) {
            tern.close();
            tern = null;
        }
    }

    /** Runs tern-admin with -n pointing at the embedded nameserver. */
    static CliRun admin(String... args) {
        String[] withNs = new String[args.length + 2];
        System.arraycopy(args, 0, withNs, 0, args.length);
        withNs[args.length] = "-n";
        withNs[args.length + 1] = tern.namesrvAddr();
        return CliRun.of(withNs);
    }

    /** Like {@link #admin} and asserts exit code 0. */
    static CliRun ok(String... args) {
        CliRun run = admin(args);
        assertEquals(0, run.exitCode(), run::toString);
        return run;
    }

    /** The store indexes and dispatches after a send is answered: repeat a read-only command until it holds. */
    static CliRun eventually(Supplier<CliRun> command, Predicate<CliRun> done) {
        CliRun last = command.get();
        for (int i = 0; i < 100 && !done.test(last); i++) {
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            last = command.get();
        }
        return last;
    }
}

package io.tern.it;

import io.tern.server.EmbeddedTern;
import io.tern.server.EmbeddedTernOptions;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

/** One embedded nameserver + broker per test class, on ephemeral ports and a temp store root. */
abstract class EmbeddedTernTestBase {
    @TempDir
    static Path storeRoot;

    static EmbeddedTern tern;

    @BeforeAll
    static void startTern() {
        tern = EmbeddedTern.start(new EmbeddedTernOptions(storeRoot));
    }

    @AfterAll
    static void stopTern() {
        if (tern != null) {
            tern.close();
            tern = null;
        }
    }
}

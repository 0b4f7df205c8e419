package io.tern.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbeddedTernTest {

    @Test
    void startsOnEphemeralPortsAndRestartsOnTheSameOnes(@TempDir Path storeRoot) {
        try (EmbeddedTern tern = EmbeddedTern.start(storeRoot)) {
            String namesrvAddr = tern.namesrvAddr();
            String brokerAddr = tern.brokerAddr();
            assertTrue(namesrvAddr.startsWith("127.0.0.1:"), namesrvAddr);
            assertTrue(brokerAddr.startsWith("127.0.0.1:"), brokerAddr);
            assertNotEquals(namesrvAddr, brokerAddr, "nameserver and broker have their own listeners");
            assertTrue(Files.isDirectory(storeRoot.resolve("commitlog")), "store opened under the given root");

            tern.restart();
            assertEquals(namesrvAddr, tern.namesrvAddr());
            assertEquals(brokerAddr, tern.brokerAddr());
        }
    }

    @Test
    void twoInstancesRunSideBySideInOneJvm(@TempDir Path first, @TempDir Path second) {
        try (EmbeddedTern a = EmbeddedTern.start(first);
             EmbeddedTern b = EmbeddedTern.start(new EmbeddedTernOptions(second).syncFlush().brokerName("broker-b"))) {
            assertNotEquals(a.brokerAddr(), b.brokerAddr());
            assertEquals("broker-b", b.brokerName());
        }
    }
}

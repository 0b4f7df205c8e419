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
    void severalBrokersRegisterWithOneNameServerAndStopAndStartAlone(@TempDir Path storeRoot) {
        try (EmbeddedTern tern = EmbeddedTern.start(new EmbeddedTernOptions(storeRoot).brokers(3))) {
            assertEquals(3, tern.brokerCount());
            assertEquals("broker-a", tern.brokerName(0));
            assertEquals("broker-c", tern.brokerName(2));
            assertEquals(3, new java.util.HashSet<>(tern.brokerAddrs()).size(), "three listeners");
            for (int i = 0; i < 3; i++) {
                assertEquals(tern.brokerAddr(i), tern.broker(i).address());
                assertTrue(Files.isDirectory(storeRoot.resolve(tern.brokerName(i)).resolve("commitlog")));
            }
            String addrB = tern.brokerAddr(1);
            tern.stopBroker(1);
            assertEquals(null, tern.broker(1));
            tern.startBroker(1);
            assertEquals(addrB, tern.broker(1).address(), "restarted on its port");
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

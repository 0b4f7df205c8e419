package io.tern.broker.failover;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The epoch file survives a restart, and a new entry drops what a cut log can no longer hold. */
class EpochFileTest {
    @TempDir
    Path dir;

    @Test
    void entriesSurviveAReopenAndANewEpochReplacesLaterOnes() throws Exception {
        Path file = dir.resolve("epoch");
        EpochFile epochs = new EpochFile(file);
        assertEquals(0, epochs.lastEpoch());
        assertEquals(-1, epochs.startOf(1));
        epochs.append(1, 0);
        epochs.append(3, 4096);
        epochs.append(4, 9000);
        assertEquals("1 0\n3 4096\n4 9000\n", Files.readString(file));

        EpochFile reopened = new EpochFile(file);
        assertEquals(4, reopened.lastEpoch());
        assertEquals(4096, reopened.startOf(3));

        // joining epoch 6 which began at 5000: epoch 4's start lies beyond the cut, so it goes
        reopened.append(6, 5000);
        assertEquals(Map.of(1, 0L, 3, 4096L, 6, 5000L), reopened.entries());
        assertEquals(6, new EpochFile(file).lastEpoch());
    }
}

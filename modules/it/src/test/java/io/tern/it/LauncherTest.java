package io.tern.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fat jar's launcher (Vert.x's application launcher with Tern's main verticle): exit code 2 for bad arguments,
 * 1 for a failed start, and on SIGTERM a stop in order — the broker (unregistered, flushed, offsets persisted), then
 * the nameserver, then Vert.x.
 */
class LauncherTest {
    @TempDir
    Path storeRoot;
    @TempDir
    Path workDir;

    private TernProcess fatJar(String name, Map<String, String> env, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(TernProcess.javaBinary().toString(), "-Xmx512m",
                "-Dtern.broker.store.commitLogSegmentBytes=67108864", "-jar", TernProcess.serverJar().toString()));
        command.addAll(List.of(args));
        return TernProcess.start(name, command, workDir, env);
    }

    @Test
    void badArgumentsExitWithTwo() throws Exception {
        try (TernProcess noRole = fatJar("no role", Map.of())) {
            assertEquals(2, noRole.awaitExit(60_000));
            assertTrue(noRole.printed("usage:"), noRole.output());
        }
        try (TernProcess unknownRole = fatJar("unknown role", Map.of(), "gateway")) {
            assertEquals(2, unknownRole.awaitExit(60_000));
        }
        try (TernProcess extra = fatJar("extra argument", Map.of(), "broker", "--verbose")) {
            assertEquals(2, extra.awaitExit(60_000));
        }
    }

    @Test
    void aFailedStartExitsWithOne() throws Exception {
        try (TernProcess missingConfig = fatJar("missing config", Map.of(), "nameserver", "--config",
                workDir.resolve("no-such.yaml").toString())) {
            assertEquals(1, missingConfig.awaitExit(60_000));
            assertTrue(missingConfig.printed("Tern nameserver failed to start"), missingConfig.output());
        }
        try (ServerSocket taken = new ServerSocket()) {
            taken.bind(new InetSocketAddress("0.0.0.0", 0));
            try (TernProcess portTaken = fatJar("port taken", Map.of(
                    "TERN_NAMESERVER_PORT", "0",
                    "TERN_BROKER_PORT", Integer.toString(taken.getLocalPort()),
                    "TERN_HTTP_PORT", "-1",
                    "TERN_STORE_ROOT", storeRoot.toString()), "standalone")) {
                assertEquals(1, portTaken.awaitExit(120_000));
                assertTrue(portTaken.printed("Tern standalone failed to start"), portTaken.output());
            }
        }
    }

    @Test
    void sigtermStopsTheBrokerThenTheNameServerThenVertx() throws Exception {
        try (TernProcess tern = fatJar("standalone", Map.of(
                "TERN_NAMESERVER_PORT", "0",
                "TERN_BROKER_PORT", "0",
                "TERN_HTTP_PORT", "0",
                "TERN_STORE_ROOT", storeRoot.toString()), "standalone")) {
            tern.awaitLine(TernProcess.READY_MARKER, 180_000);
            assertEquals(143, tern.terminate(60_000), "exit code after SIGTERM");
            int broker = tern.lineOf("broker broker-a stopped");
            int nameServer = tern.lineOf("nameserver on port");
            int vertx = tern.lineOf("Tern standalone stopped");
            assertTrue(broker >= 0 && nameServer > broker && vertx > nameServer,
                    "broker, nameserver, Vert.x in that order:\n" + tern.output());
        }
    }
}

package io.tern.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tern.server.EmbeddedTern;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** tern-admin commands run in-process against one embedded nameserver + broker. */
class TernAdminTest {
    @TempDir
    static Path storeRoot;
    static EmbeddedTern tern;
    static TestClient client;

    @BeforeAll
    static void start() {
        tern = EmbeddedTern.start(storeRoot);
        client = new TestClient();
    }

    @AfterAll
    static void stop() throws Exception {
        if (client != null) {
            client.close();
        }
        if (tern != null) {
            tern.close();
        }
    }

    static CliRun admin(String... args) {
        String[] withNs = new String[args.length + 2];
        System.arraycopy(args, 0, withNs, 0, args.length);
        withNs[args.length] = "-n";
        withNs[args.length + 1] = tern.namesrvAddr();
        return CliRun.of(withNs);
    }

    static CliRun ok(String... args) {
        CliRun run = admin(args);
        assertEquals(0, run.exitCode(), run::toString);
        return run;
    }

    @Test
    void updateTopicThenTopicListRouteAndStatusShowIt() {
        ok("updateTopic", "-t", "CliTopicA", "-r", "4", "-w", "4", "-c", tern.clusterName());

        assertTrue(ok("topicList").out().lines().anyMatch("CliTopicA"::equals));

        CliRun route = ok("topicRoute", "-t", "CliTopicA");
        assertTrue(route.out().contains(tern.brokerAddr()), route::toString);
        assertTrue(route.out().contains("read 4, write 4"), route::toString);

        CliRun status = ok("topicStatus", "-t", "CliTopicA");
        assertEquals(4, status.out().lines().filter(l -> l.startsWith(tern.brokerName())).count(), status::toString);

        CliRun json = ok("topicRoute", "-t", "CliTopicA", "--json");
        assertTrue(json.out().contains("\"queueDatas\""), json::toString);
    }

    @Test
    void clusterListAndBrokerStatusShowTheBroker() {
        CliRun cluster = ok("clusterList");
        assertTrue(cluster.out().contains(tern.clusterName()), cluster::toString);
        assertTrue(cluster.out().contains(tern.brokerAddr()), cluster::toString);
        assertTrue(cluster.out().contains("V4_9_7"), cluster::toString);

        CliRun status = ok("brokerStatus", "-b", tern.brokerAddr());
        assertTrue(status.out().contains("msgPutTotalTodayNow"), status::toString);
    }

    @Test
    void badArgumentsPrintUsageAndFail() {
        CliRun missing = admin("topicRoute");
        assertEquals(TernAdmin.EXIT_USAGE, missing.exitCode());
        assertTrue(missing.err().contains("missing required option -t"), missing::toString);
        assertTrue(missing.err().contains("usage: tern-admin topicRoute"), missing::toString);

        CliRun unknown = CliRun.of("noSuchCommand");
        assertEquals(TernAdmin.EXIT_USAGE, unknown.exitCode());
        assertTrue(unknown.err().contains("unknown command 'noSuchCommand'"), unknown::toString);
        assertTrue(unknown.err().contains("clusterList"), unknown::toString);

        CliRun none = CliRun.of();
        assertNotEquals(0, none.exitCode());

        CliRun badOption = admin("topicList", "-x", "1");
        assertEquals(TernAdmin.EXIT_USAGE, badOption.exitCode());
        assertTrue(badOption.err().contains("unknown option"), badOption::toString);
    }

    @Test
    void unreachableNameServerIsAClearError() {
        CliRun run = CliRun.of("topicList", "-n", "127.0.0.1:1");
        assertEquals(TernAdmin.EXIT_FAILED, run.exitCode(), run::toString);
        assertTrue(run.err().contains("cannot reach nameserver 127.0.0.1:1"), run::toString);
        assertFalse(run.err().contains("Exception\n\tat"), run::toString);
    }

    @Test
    void unknownTopicIsAClearError() {
        CliRun run = admin("topicRoute", "-t", "NoSuchTopicHere");
        assertEquals(TernAdmin.EXIT_FAILED, run.exitCode(), run::toString);
        assertTrue(run.err().contains("NoSuchTopicHere does not exist"), run::toString);
    }
}

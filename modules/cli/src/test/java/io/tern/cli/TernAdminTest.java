package io.tern.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import org.junit.jupiter.api.Test;

/** tern-admin commands run in-process against one embedded nameserver + broker. */
class TernAdminTest extends EmbeddedCliTest {
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
    void nameServerComesFromTheEnvironmentUnlessGivenWithN() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = TernAdmin.run(new String[] {"topicList"}, new PrintStream(new ByteArrayOutputStream()),
                new PrintStream(err, true), "127.0.0.1:1");
        assertEquals(TernAdmin.EXIT_FAILED, code);
        assertTrue(err.toString().contains("127.0.0.1:1"), err::toString);

        ByteArrayOutputStream out = new ByteArrayOutputStream();
        code = TernAdmin.run(new String[] {"topicList", "-n", tern.namesrvAddr()}, new PrintStream(out, true),
                new PrintStream(new ByteArrayOutputStream()), "127.0.0.1:1");
        assertEquals(0, code);
    }

    @Test
    void helpListsEveryCommandAndItsOptions() {
        CliRun help = CliRun.of("help");
        assertEquals(0, help.exitCode());
        for (String name : TernAdmin.commands().keySet()) {
            assertTrue(help.out().contains(name), name);
        }
        CliRun one = CliRun.of("help", "updateTopic");
        assertTrue(one.out().contains("-t topic"), one::toString);
        CliRun badNs = CliRun.of("topicList", "-n", "nohostport");
        assertEquals(TernAdmin.EXIT_USAGE, badNs.exitCode(), badNs::toString);
    }

    @Test
    void unknownTopicIsAClearError() {
        CliRun run = admin("topicRoute", "-t", "NoSuchTopicHere");
        assertEquals(TernAdmin.EXIT_FAILED, run.exitCode(), run::toString);
        assertTrue(run.err().contains("NoSuchTopicHere does not exist"), run::toString);
    }
}

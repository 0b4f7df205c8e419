package io.tern.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tern.server.EmbeddedTern;
import io.tern.server.EmbeddedTernOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code tern-admin haStatus} against a broker group in one JVM (a master and a slave, real sockets and files):
 * roles, the slave's master, and the slave's acknowledged offset and lag as the master sees it.
 */
class HaStatusCommandTest {
    @TempDir
    Path storeRoot;

    @Test
    void showsRolesMasterAndEachSlavesAckedOffsetAndLag() throws Exception {
        try (EmbeddedTern tern = EmbeddedTern.start(new EmbeddedTernOptions(storeRoot).slaves(1));
             TestClient client = new TestClient()) {
            String master = tern.brokerAddr(0);
            String slave = tern.brokerAddr(1);
            for (int i = 0; i < 50; i++) {
                client.send(master, "HaStatusTopic", i % 4, "m" + i, Map.of());
            }
            long end = tern.broker(0).components().store().replicaLog().maxOffset();
            String[] cli = {"haStatus", "-n", tern.namesrvAddr()};
            CliRun text = eventually(cli, run -> run.out().contains("SLAVE") && slaveRow(run).size() == 7
                    && slaveRow(run).get(3).equals(Long.toString(end)));
            assertEquals(0, text.exitCode(), text::toString);
            List<String> masterRow = row(text, master);
            assertEquals(List.of(tern.brokerName(0), "0", master, "ASYNC_MASTER", Long.toString(end), "-", "-"),
                    masterRow, text::toString);
            assertEquals(List.of(tern.brokerName(0), "1", slave, "SLAVE", Long.toString(end), master, "0"),
                    row(text, slave), text::toString);
            assertEquals(List.of(tern.brokerName(0), "1", Long.toString(end), "0", "0", "true"),
                    List.of(slaveRow(text).get(0), slaveRow(text).get(1), slaveRow(text).get(3),
                            slaveRow(text).get(4), slaveRow(text).get(5), slaveRow(text).get(6)), text::toString);

            CliRun json = CliRun.of("haStatus", "-n", tern.namesrvAddr(), "--json");
            assertEquals(0, json.exitCode(), json::toString);
            JsonArray brokers = new JsonArray(json.out());
            assertEquals(2, brokers.size());
            JsonObject ha = brokers.getJsonObject(0).getJsonObject("ha");
            assertEquals("ASYNC_MASTER", ha.getString("brokerRole"));
            JsonObject connection = ha.getJsonArray("haConnectionInfo").getJsonObject(0);
            assertEquals(1, connection.getLong("brokerId"));
            assertEquals(end, connection.getLong("slaveAckOffset"));
            assertEquals(0, connection.getLong("diffMessages"));
            assertEquals(master, brokers.getJsonObject(1).getString("masterAddr"));

            CliRun one = CliRun.of("haStatus", "-b", slave, "-n", tern.namesrvAddr());
            assertEquals(0, one.exitCode(), one::toString);
            assertTrue(one.out().contains("SLAVE"), one::toString);

            CliRun unreachable = CliRun.of("haStatus", "-b", "127.0.0.1:1", "-n", tern.namesrvAddr());
            assertEquals(TernAdmin.EXIT_FAILED, unreachable.exitCode(), unreachable::toString);
            assertTrue(unreachable.out().contains("error: cannot reach broker 127.0.0.1:1"), unreachable::toString);
        }
    }

    /** The cells of the broker table's row of {@code addr}. */
    private static List<String> row(CliRun run, String addr) {
        for (String line : run.out().split("\n")) {
            List<String> cells = List.of(line.trim().split("\\s{2,}"));
            if (cells.size() > 2 && cells.get(2).equals(addr)) {
                return cells;
            }
        }
        return List.of();
    }

    /** The cells of the first row of the slaves table (after its header). */
    private static List<String> slaveRow(CliRun run) {
        String[] lines = run.out().split("\n");
        for (int i = 0; i < lines.length - 1; i++) {
            if (lines[i].startsWith("#Broker") && lines[i].contains("#SlaveId")) {
                return List.of(lines[i + 1].trim().split("\\s{2,}"));
            }
        }
        return List.of();
    }

    private static CliRun eventually(String[] args, java.util.function.Predicate<CliRun> done) throws Exception {
        CliRun last = CliRun.of(args);
        for (int i = 0; i < 200 && !done.test(last); i++) {
            Thread.sleep(50);
            last = CliRun.of(args);
        }
        return last;
    }
}

package io.tern.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** Commands that look at messages, offsets, groups and deletion, against one embedded nameserver + broker. */
class MessageCommandsTest extends EmbeddedCliTest {
    private static String broker() {
        return tern.brokerAddr();
    }

    @Test
    void queryMsgByIdAndByKeyShowTheMessage() {
        ok("updateTopic", "-t", "CliMsgTopic", "-r", "2", "-w", "2", "-b", broker());
        String offsetMsgId = client.send(broker(), "CliMsgTopic", 1, "hello tern",
                Map.of("KEYS", "order-42 other", "TAGS", "TagA", "UNIQ_KEY", "C0A8000100002A9F0000000000000001"))
                .ext("msgId");

        CliRun byId = eventually(() -> admin("queryMsgById", "-i", offsetMsgId), r -> r.exitCode() == 0);
        assertEquals(0, byId.exitCode(), byId::toString);
        assertTrue(byId.out().contains("hello tern"), byId::toString);
        assertTrue(byId.out().contains("CliMsgTopic"), byId::toString);
        assertTrue(byId.out().contains("order-42"), byId::toString);
        assertTrue(byId.out().contains("TagA"), byId::toString);
        assertTrue(byId.out().contains(offsetMsgId), byId::toString);

        CliRun byKey = eventually(() -> admin("queryMsgByKey", "-t", "CliMsgTopic", "-k", "order-42"),
                r -> r.exitCode() == 0);
        assertEquals(0, byKey.exitCode(), byKey::toString);
        assertTrue(byKey.out().contains(offsetMsgId), byKey::toString);
        assertTrue(byKey.out().contains("C0A8000100002A9F0000000000000001"), byKey::toString);

        CliRun json = ok("queryMsgById", "-i", offsetMsgId, "--json");
        assertTrue(json.out().contains("\"body\" : \"hello tern\""), json::toString);

        CliRun missing = admin("queryMsgByKey", "-t", "CliMsgTopic", "-k", "no-such-key");
        assertEquals(TernAdmin.EXIT_FAILED, missing.exitCode(), missing::toString);

        CliRun badId = admin("queryMsgById", "-i", "XYZ");
        assertEquals(TernAdmin.EXIT_USAGE, badId.exitCode(), badId::toString);
    }

    @Test
    void consumerProgressShowsLagAndResetOffsetByTimeRewinds() {
        ok("updateTopic", "-t", "CliLagTopic", "-r", "1", "-w", "1", "-b", broker());
        for (int i = 0; i < 5; i++) {
            client.send(broker(), "CliLagTopic", 0, "m" + i, Map.of());
        }
        client.commitOffset(broker(), "CliLagGroup", "CliLagTopic", 0, 2);

        CliRun progress = eventually(() -> admin("consumerProgress", "-g", "CliLagGroup"),
                r -> r.out().contains("Diff Total: 3"));
        assertTrue(progress.out().contains("Diff Total: 3"), progress::toString);
        assertTrue(progress.out().lines().anyMatch(l -> l.startsWith("CliLagTopic") && l.contains(" 5 ")
                && l.contains(" 2 ")), progress::toString);

        CliRun reset = ok("resetOffsetByTime", "-g", "CliLagGroup", "-t", "CliLagTopic", "-s", "0");
        assertTrue(reset.out().contains("CliLagTopic") || reset.out().contains(tern.brokerName()),
                reset::toString);
        CliRun after = ok("consumerProgress", "-g", "CliLagGroup", "--json");
        assertTrue(after.out().contains("\"totalLag\" : 5"), after::toString);

        ok("resetOffsetByTime", "-g", "CliLagGroup", "-t", "CliLagTopic", "-s", "now");
        CliRun atEnd = ok("consumerProgress", "-g", "CliLagGroup", "-t", "CliLagTopic");
        assertTrue(atEnd.out().contains("Diff Total: 0"), atEnd::toString);

        // without force an offset only moves backwards
        ok("resetOffsetByTime", "-g", "CliLagGroup", "-t", "CliLagTopic", "-s", "0", "-f", "false");
        ok("resetOffsetByTime", "-g", "CliLagGroup", "-t", "CliLagTopic", "-s", "now", "-f", "false");
        CliRun kept = ok("consumerProgress", "-g", "CliLagGroup");
        assertTrue(kept.out().contains("Diff Total: 5"), kept::toString);

        // a group that exists but never committed gets offsets all the same
        ok("updateSubGroup", "-g", "CliNeverCommitted");
        CliRun fresh = ok("resetOffsetByTime", "-g", "CliNeverCommitted", "-t", "CliLagTopic", "-s", "now", "--json");
        assertTrue(fresh.out().contains("\"offset\" : 5"), fresh::toString);
        CliRun unknown = admin("resetOffsetByTime", "-g", "CliNoSuchGroup", "-t", "CliLagTopic", "-s", "0");
        assertEquals(TernAdmin.EXIT_FAILED, unknown.exitCode(), unknown::toString);

        CliRun badTime = admin("resetOffsetByTime", "-g", "CliLagGroup", "-t", "CliLagTopic", "-s", "yesterday");
        assertEquals(TernAdmin.EXIT_USAGE, badTime.exitCode(), badTime::toString);
    }

    @Test
    void deleteTopicRemovesItFromTheBrokerAndTheNameServer() {
        ok("updateTopic", "-t", "CliDeleteMe", "-c", tern.clusterName());
        assertTrue(ok("topicList").out().lines().anyMatch("CliDeleteMe"::equals));

        ok("deleteTopic", "-t", "CliDeleteMe", "-c", tern.clusterName());

        assertFalse(ok("topicList").out().lines().anyMatch("CliDeleteMe"::equals));
        assertEquals(TernAdmin.EXIT_FAILED, admin("topicRoute", "-t", "CliDeleteMe").exitCode());
        assertEquals(TernAdmin.EXIT_FAILED, admin("topicStatus", "-t", "CliDeleteMe").exitCode());
    }

    @Test
    void updateSubGroupSucceedsAndAnOfflineGroupHasNoConnections() {
        CliRun update = ok("updateSubGroup", "-g", "CliGroup", "-r", "3");
        assertTrue(update.out().contains("update subscription group CliGroup on " + broker() + " success"),
                update::toString);

        CliRun conn = admin("consumerConnection", "-g", "CliGroup");
        assertEquals(TernAdmin.EXIT_FAILED, conn.exitCode(), conn::toString);
        assertTrue(conn.err().contains("not online"), conn::toString);
    }

    @Test
    void anOnlineGroupShowsItsConnectionsProgressAndTakesAnOffsetReset() {
        ok("updateTopic", "-t", "CliOnlineTopic", "-r", "2", "-w", "2", "-b", broker());
        for (int i = 0; i < 3; i++) {
            client.send(broker(), "CliOnlineTopic", 0, "m" + i, Map.of());
        }
        client.heartbeat(broker(), "192.0.2.9@cli-test", "CliOnlineGroup", "CliOnlineTopic", "TagA || TagB");
        client.commitOffset(broker(), "CliOnlineGroup", "CliOnlineTopic", 0, 1);
        client.commitOffset(broker(), "CliOnlineGroup", "CliOnlineTopic", 1, 0);

        CliRun conn = ok("consumerConnection", "-g", "CliOnlineGroup");
        assertTrue(conn.out().contains("192.0.2.9@cli-test"), conn::toString);
        assertTrue(conn.out().contains("TagA || TagB"), conn::toString);
        assertTrue(conn.out().contains("MessageModel: CLUSTERING"), conn::toString);

        CliRun progress = eventually(() -> admin("consumerProgress", "-g", "CliOnlineGroup"),
                r -> r.out().contains("Diff Total: 2"));
        assertTrue(progress.out().contains("Diff Total: 2"), progress::toString);

        // online: the broker answers with the new offsets and pushes them to the client (B->C 220)
        CliRun reset = ok("resetOffsetByTime", "-g", "CliOnlineGroup", "-t", "CliOnlineTopic", "-s", "0", "--json");
        assertTrue(reset.out().contains("\"queueId\" : 1"), reset::toString);
    }
}

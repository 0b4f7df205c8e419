package io.tern.controller;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tern.remoting.controller.ControllerWire.GroupView;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Three controller peers (Ratis over gRPC on loopback) driven by heartbeats over the remoting protocol. */
class ControllerRaftTest {
    private static final long TIMEOUT_MS = 1_500;

    /** Heartbeats from {@code ids} (the first acting as master at {@code epoch}) until {@code ms} passed. */
    private static void beat(ControllerPeers peers, String group, long ms, int epoch, long master, long... others)
            throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(ms);
        do {
            if (master >= 0) {
                peers.heartbeat(group, master, 1000, true, epoch, null, null);
            }
            for (long id : others) {
                peers.heartbeat(group, id, 900 + id, false, epoch, null, null);
            }
            Thread.sleep(200);
        } while (System.nanoTime() < end);
    }

    @Test
    void electsAMasterFromTheSyncStateSetAndKeepsStateThroughLeaderLossAndRestart(@TempDir Path dir)
            throws Exception {
        try (ControllerPeers peers = new ControllerPeers(3, dir, TIMEOUT_MS, 5)) {
            peers.startAll();
            int leader = peers.awaitLeader();
            // a new group: the first master is elected after a heartbeat timeout of grace, among live replicas
            beat(peers, "g", TIMEOUT_MS * 3, 0, -1, 1, 2, 3);
            JsonObject g = peers.awaitGroup(leader, "g", v -> v.epoch() == 1);
            GroupView first = GroupView.fromJson(g);
            assertEquals(3, first.replicas().size());
            assertEquals(java.util.Set.of(first.masterId()), first.syncStateSet());
            long m = first.masterId();
            // the furthest log end wins a new group's election: replica 3 reported 903
            assertEquals(3, m);

            // the master reports its epoch start and its in-sync slaves; the controller commits both
            JsonObject answer = peers.heartbeat("g", m, 1000, true, 1, List.of(m, 1L),
                    new JsonObject().put("epoch", 1).put("offset", 903));
            assertNotNull(answer);
            assertTrue(answer.getLong("leaseMs") > 0);
            GroupView view = GroupView.fromJson(answer.getJsonObject("group"));
            assertEquals(java.util.Set.of(m, 1L), view.syncStateSet());
            assertEquals(903L, view.epochStarts().get(1));
            // a wish from a replica that is not the master changes nothing
            peers.heartbeat("g", 2, 900, true, 1, List.of(2L), null);
            assertEquals(java.util.Set.of(m, 1L), GroupView.fromJson(peers.controllers[leader].node().state()
                    .group("g")).syncStateSet());

            // the master goes silent: replica 1 (in the set) is elected, never 2 (outside it, though alive)
            beat(peers, "g", TIMEOUT_MS * 3, 1, -1, 1, 2);
            GroupView second = GroupView.fromJson(peers.awaitGroup(leader, "g", v -> v.epoch() == 2));
            assertEquals(1, second.masterId());
            assertEquals(java.util.Set.of(1L), second.syncStateSet());

            // the controller leader dies; another peer leads with the same state and keeps electing
            peers.stop(leader);
            int next = peers.awaitLeader();
            assertTrue(next != leader);
            assertEquals(2, GroupView.fromJson(peers.controllers[next].node().state().group("g")).epoch());
            peers.heartbeat("g", 1, 1000, true, 2, List.of(1L, 2L), new JsonObject().put("epoch", 2).put("offset", 950));
            beat(peers, "g", TIMEOUT_MS * 4, 2, -1, 2);
            GroupView third = GroupView.fromJson(peers.awaitGroup(next, "g", v -> v.epoch() == 3));
            assertEquals(2, third.masterId());
            assertEquals(950L, third.epochStarts().get(2));

            // every peer down, then up again from its snapshot and log: the state is the same
            peers.start(leader);
            peers.awaitGroup(leader, "g", v -> v.epoch() == 3);
            for (int i = 0; i < 3; i++) {
                peers.stop(i);
            }
            try (Stream<Path> files = Files.walk(dir)) {
                assertTrue(files.anyMatch(p -> p.getFileName().toString().startsWith("snapshot.")),
                        "a snapshot was taken");
            }
            peers.startAll();
            int after = peers.awaitLeader();
            GroupView restored = GroupView.fromJson(peers.awaitGroup(after, "g", v -> v.epoch() == 3));
            assertEquals(2, restored.masterId());
            assertEquals(java.util.Set.of(2L), restored.syncStateSet());
            assertEquals(3, restored.replicas().size());
            assertEquals(903L, restored.epochStarts().get(1));
            JsonObject state = peers.state(after);
            assertTrue(state.getBoolean("leader"));
            assertEquals(1, state.getJsonArray("groups").size());
            int follower = (after + 1) % 3;
            assertFalse(peers.state(follower).getBoolean("leader"));
        }
    }

    @Test
    void noMemberOfTheSyncStateSetAliveMeansNoElectionUnlessUnclean(@TempDir Path dir) throws Exception {
        try (ControllerPeers peers = new ControllerPeers(1, dir, TIMEOUT_MS, 1000)) {
            peers.startAll();
            peers.awaitLeader();
            beat(peers, "h", TIMEOUT_MS * 3, 0, -1, 1, 2);
            long m = GroupView.fromJson(peers.awaitGroup(0, "h", v -> v.epoch() == 1)).masterId();
            long other = m == 1 ? 2 : 1;
            // the set stays {master}; the master dies; the other replica is alive but out of sync
            beat(peers, "h", TIMEOUT_MS * 4, 1, -1, other);
            GroupView v = GroupView.fromJson(peers.controllers[0].node().state().group("h"));
            assertEquals(1, v.epoch());
            assertEquals(m, v.masterId());
        }
    }
}

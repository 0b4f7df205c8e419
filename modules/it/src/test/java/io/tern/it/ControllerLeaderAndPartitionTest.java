package io.tern.it;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tern.remoting.controller.ControllerWire.GroupView;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 12's harder cases, real processes: three nameservers each with a controller peer (one Raft group of three)
 * and a broker group of three replicas in controller mode; two producers send without pause throughout.
 * <ol>
 *   <li>The master and the controller leader are killed together: a new controller leader finishes the failover.</li>
 *   <li>The new master is stopped with SIGSTOP (a partitioned master: alive, silent) until another is elected, then
 *       resumed with SIGCONT: its lease has lapsed, so it acknowledges nothing, and it steps down to a slave when it
 *       hears the new epoch.</li>
 * </ol>
 * Afterwards every SEND_OK message is consumed and stored exactly once in the last master's log.
 */
class ControllerLeaderAndPartitionTest {
    @TempDir
    Path storeRoot;
    @TempDir
    Path workDir;

    @Test
    void aNewControllerLeaderFinishesAFailoverAndAStoppedMasterStepsDown() throws Exception {
        try (FailoverCluster cluster = new FailoverCluster(storeRoot, workDir)) {
            cluster.startNameServers(3);
            GroupView first = cluster.startReplicas(3);
            cluster.startProducers();
            Await.sleep(2_000);

            int leader = cluster.controllerLeader();
            assertTrue(leader >= 0, "a controller leads");
            long master = first.masterId();
            cluster.replicas.get(master).kill();
            cluster.nameServers.get(leader).kill();
            GroupView second = cluster.awaitGroup("a new master elected by a new controller leader", 60_000,
                    v -> v.epoch() > first.epoch() && v.masterId() != master);
            assertTrue(cluster.controllerLeader() != leader);
            cluster.probe("probe-after-leader-kill", 60_000);
            System.out.printf("controller leader n%d and master %d killed; replica %d master of epoch %d%n", leader,
                    master, second.masterId(), second.epoch());
            cluster.startReplica(master, "r" + master + "-restart").awaitLine("slave of replica "
                    + second.masterId(), 120_000);
            cluster.awaitGroup("three replicas in the SyncStateSet", 120_000, v -> v.syncStateSet().size() == 3);

            long stopped = second.masterId();
            TernProcess paused = cluster.replicas.get(stopped);
            FailoverCluster.signal(paused, "STOP");
            GroupView third = cluster.awaitGroup("a master elected while replica " + stopped + " is stopped", 60_000,
                    v -> v.epoch() > second.epoch() && v.masterId() != stopped);
            cluster.probe("probe-while-stopped", 60_000);
            FailoverCluster.signal(paused, "CONT");
            paused.awaitLine("slave of replica " + third.masterId(), 60_000);
            System.out.printf("replica %d stopped and resumed; replica %d master of epoch %d; it stepped down%n",
                    stopped, third.masterId(), third.epoch());
            cluster.awaitGroup("three replicas in the SyncStateSet", 120_000, v -> v.syncStateSet().size() == 3);
            cluster.probe("probe-at-the-end", 60_000);
            cluster.stopProducers();

            Set<String> consumed = cluster.consumeAll();
            List<String> problems = cluster.checkStores(cluster.group().masterId(), consumed);
            assertTrue(problems.isEmpty(), problems.size() + " problems with " + cluster.acknowledged.size()
                    + " SEND_OK messages: " + problems.subList(0, Math.min(20, problems.size())));
        }
    }
}

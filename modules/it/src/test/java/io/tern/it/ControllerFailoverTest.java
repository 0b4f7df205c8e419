package io.tern.it;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tern.remoting.controller.ControllerWire.GroupView;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 12, with separate processes and the official 4.9.8 client: a nameserver with an embedded controller and a
 * broker group of three replicas in controller mode (SYNC_MASTER, inSyncReplicas 2, SYNC_FLUSH). Two producers send
 * without pause while the master is killed with SIGKILL, five rounds. Each round: the controller elects a member of
 * the SyncStateSet under a new epoch and the new master takes sends within 15 s of the kill; the old master,
 * restarted on its store, truncates to the agreed point and rejoins as a slave. Afterwards both producers (never
 * restarted) take SEND_OK again, every SEND_OK message is consumed, and the last master's log holds each exactly once.
 */
class ControllerFailoverTest {
    private static final int ROUNDS = 5;

    @TempDir
    Path storeRoot;
    @TempDir
    Path workDir;

    @Test
    void killNineOfTheMasterElectsAnInSyncSlaveAndNoSendOkIsLost() throws Exception {
        try (FailoverCluster cluster = new FailoverCluster(storeRoot, workDir)) {
            cluster.startNameServers(1);
            GroupView view = cluster.startReplicas(3);
            cluster.startProducers();
            long lastFailoverNanos = 0;
            for (int round = 1; round <= ROUNDS; round++) {
                long master = view.masterId();
                int epoch = view.epoch();
                Await.sleep(ThreadLocalRandom.current().nextLong(1_000, 3_000));
                int before = cluster.acknowledged.size();
                cluster.replicas.get(master).kill();
                long killedAt = System.nanoTime();
                GroupView elected = cluster.awaitGroup("a new master after killing replica " + master, 60_000,
                        v -> v.epoch() > epoch && v.masterId() != master);
                cluster.probe("probe-" + round, 60_000);
                long servingMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killedAt);
                lastFailoverNanos = System.nanoTime();
                System.out.printf("round %d: killed master %d (epoch %d); replica %d master of epoch %d, taking sends "
                        + "%d ms after the kill; %d SEND_OK meanwhile (total %d)%n", round, master, epoch,
                        elected.masterId(), elected.epoch(), servingMs, cluster.acknowledged.size() - before,
                        cluster.acknowledged.size());
                assertTrue(servingMs < 15_000, "new master serving " + servingMs + " ms after the kill");

                TernProcess returned = cluster.startReplica(master, "r" + master + "-restart" + round);
                returned.awaitLine("slave of replica " + elected.masterId(), 120_000);
                view = cluster.awaitGroup("replica " + master + " back in the SyncStateSet", 120_000,
                        v -> v.syncStateSet().size() == 3);
            }
            long resumeBy = lastFailoverNanos;
            Await.until("both producers taking SEND_OK again after the last failover", 90_000,
                    () -> cluster.lastOkNanos.stream().allMatch(t -> t.get() > resumeBy));
            cluster.stopProducers();
            assertTrue(cluster.acknowledged.size() > ROUNDS * 2, "sends acknowledged: " + cluster.acknowledged.size());

            Set<String> consumed = cluster.consumeAll();
            List<String> problems = cluster.checkStores(cluster.group().masterId(), consumed);
            assertTrue(problems.isEmpty(), problems.size() + " problems with " + cluster.acknowledged.size()
                    + " SEND_OK messages: " + problems.subList(0, Math.min(20, problems.size())));
        }
    }
}

package io.tern.store.impl;

import io.tern.store.PutResult.PutStatus;
import io.tern.store.StoreConfig;
import io.vertx.core.Vertx;

import java.nio.file.Path;
import java.util.concurrent.Semaphore;

/**
 * Child process for {@link CrashProcessTest}: puts messages as fast as it can and prints "ACK id queueId
 * queueOffset" for each acknowledged one, until it is killed.
 * Args: storeRoot flushMode firstId.
 */
public final class CrashChild {
    static final String TOPIC = "Crash";
    static final int QUEUES = 4;

    static StoreConfig config(String root, String mode) {
        StoreConfig c = TestSupport.smallConfig(Path.of(root));
        c.commitLogSegmentBytes = 256 * 1024;
        c.consumeQueueEntriesPerFile = 1000;
        c.flushMode = StoreConfig.FlushMode.valueOf(mode);
        c.flushIntervalCommitLogMs = 50;
        return c;
    }

    public static void main(String[] args) throws Exception {
        // killed by the test: the Vertx is never closed
        DefaultMessageStore store = new DefaultMessageStore(Vertx.vertx(), config(args[0], args[1]));
        store.start();
        System.out.println("READY");
        System.out.flush();
        long id = Long.parseLong(args[2]);
        Semaphore inFlight = new Semaphore(64);
        while (true) {
            inFlight.acquire();
            long myId = id++;
            int queue = (int) (myId % QUEUES);
            store.put(TestSupport.message(TOPIC, queue, "id-" + myId + "-" + "x".repeat((int) (myId % 300))))
                    .whenComplete((r, e) -> {
                        inFlight.release();
                        if (e == null && r.status() == PutStatus.PUT_OK) {
                            synchronized (System.out) {
                                System.out.println("ACK " + myId + " " + queue + " " + r.queueOffset());
                                System.out.flush();
                            }
                        }
                    });
        }
    }
}

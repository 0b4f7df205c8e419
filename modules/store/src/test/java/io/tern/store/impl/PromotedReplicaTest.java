package io.tern.store.impl;

import static io.tern.store.impl.TestSupport.message;
import static io.tern.store.impl.TestSupport.smallConfig;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tern.store.GetResult;
import io.tern.store.MessageFilter;
import io.tern.store.MessageStore;
import io.tern.store.MessageStores;
import io.tern.store.PutResult;
import io.tern.store.ReplicaLog;
import io.tern.store.StoreConfig;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A replica that took records only through {@link ReplicaLog#append} and is then promoted (controller mode: it
 * truncates to its own end, then takes local puts) gives its first put the queue offset after the replicated ones,
 * so no consume-queue entry is taken twice and every record stays readable.
 */
class PromotedReplicaTest extends WithVertx {
    @TempDir
    Path dir;

    @Test
    void aPromotedReplicaContinuesTheQueueOffsetsOfTheReplicatedRecords() throws Exception {
        for (StoreConfig.FlushMode mode : StoreConfig.FlushMode.values()) {
            StoreConfig mc = smallConfig(dir.resolve(mode + "-m"));
            mc.flushMode = mode;
            StoreConfig rc = smallConfig(dir.resolve(mode + "-r"));
            rc.flushMode = mode;
            MessageStore master = MessageStores.open(vertx, mc);
            MessageStore replica = MessageStores.open(vertx, rc);
            try {
                for (int i = 0; i < 20; i++) {
                    master.put(message("T", 0, "old" + i, "tag", "old" + i)).join();
                }
                long at = 0;
                while (at < master.replicaLog().maxOffset()) {
                    ByteBuffer chunk = master.replicaLog().read(at, 700);
                    at = replica.replicaLog().append(at, chunk).join();
                }
                assertEquals(20, replica.maxOffsetInQueue("T", 0));

                replica.replicaLog().truncate(Long.MAX_VALUE).join();
                PutResult first = replica.put(message("T", 0, "new", "tag", "new")).join();
                assertEquals(20, first.queueOffset(), "the first local put follows the replicated records");
                assertEquals(21, replica.maxOffsetInQueue("T", 0));
                GetResult all = replica.get("T", 0, 0, 32, 1 << 20, MessageFilter.ALL);
                assertEquals(21, all.messages().size());
            } finally {
                master.shutdown();
                replica.shutdown();
            }
        }
    }
}

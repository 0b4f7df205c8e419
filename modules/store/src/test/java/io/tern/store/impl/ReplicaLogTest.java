package io.tern.store.impl;

import io.tern.store.GetResult;
import io.tern.store.MessageFilter;
import io.tern.store.MessageStore;
import io.tern.store.MessageStores;
import io.tern.store.PutResult;
import io.tern.store.QueryResult;
import io.tern.store.ReplicaLog;
import io.tern.store.StoreConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Random;

import static io.tern.store.impl.TestSupport.message;
import static io.tern.store.impl.TestSupport.smallConfig;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A second store fed only through {@link ReplicaLog#append} with the first one's bytes, in chunks of random sizes
 * that cut records and cross segments, ends byte-identical, serves the same pulls and key queries, survives a
 * restart, and truncates a diverged tail back to a record boundary.
 */
class ReplicaLogTest extends WithVertx {
    @TempDir
    Path dir;

    private static void fill(MessageStore store, String prefix, int n) {
        for (int i = 0; i < n; i++) {
            store.put(message("T" + (i % 3), i % 2, prefix + i + "-" + "x".repeat(i % 300), "tag" + (i % 4),
                    prefix + "key" + i)).join();
        }
    }

    /** Copies master bytes [from, master end) into the slave in random chunks; returns the new end. */
    private static long copy(ReplicaLog master, ReplicaLog slave, long from, Random random) {
        long at = from;
        while (at < master.maxOffset()) {
            ByteBuffer chunk = master.read(at, 1 + random.nextInt(5000));
            at = slave.append(at, chunk).join();
        }
        return at;
    }

    private static byte[] bytes(ReplicaLog log, long from, long to) {
        byte[] out = new byte[(int) (to - from)];
        long at = from;
        while (at < to) {
            ByteBuffer b = log.read(at, (int) (to - at));
            int n = b.remaining();
            b.get(out, (int) (at - from), n);
            at += n;
        }
        return out;
    }

    private static StoreConfig config(Path root, StoreConfig.FlushMode mode) {
        StoreConfig c = smallConfig(root);
        c.flushMode = mode;
        return c;
    }

    @Test
    void replicatedBytesAreIdenticalAndServePullsAndQueries() throws Exception {
        for (StoreConfig.FlushMode mode : StoreConfig.FlushMode.values()) {
            Path root = dir.resolve(mode.name());
            MessageStore master = MessageStores.open(vertx, config(root.resolve("m"), mode));
            MessageStore slave = MessageStores.open(vertx, config(root.resolve("s"), mode));
            try {
                fill(master, "a", 600);
                long end = copy(master.replicaLog(), slave.replicaLog(), 0, new Random(7));
                assertEquals(master.replicaLog().maxOffset(), end);
                assertTrue(end > 3 * master.replicaLog().segmentBytes(), "crossed segments: " + end);
                assertArrayEquals(bytes(master.replicaLog(), 0, end), bytes(slave.replicaLog(), 0, end));
                for (int q = 0; q < 2; q++) {
                    assertEquals(master.maxOffsetInQueue("T1", q), slave.maxOffsetInQueue("T1", q));
                    GetResult m = master.get("T1", q, 0, 32, 1 << 20, MessageFilter.ALL);
                    GetResult s = slave.get("T1", q, 0, 32, 1 << 20, MessageFilter.ALL);
                    assertEquals(m.messages().size(), s.messages().size());
                    for (int i = 0; i < m.messages().size(); i++) {
                        assertEquals(m.messages().get(i), s.messages().get(i));
                    }
                }
                QueryResult byKey = slave.query("T1", "akey1", 4, 0, Long.MAX_VALUE);
                assertEquals(1, byKey.messages().size());
            } finally {
                master.shutdown();
                slave.shutdown();
            }
            slave = MessageStores.open(vertx, config(root.resolve("s"), mode));
            try {
                MessageStore again = MessageStores.open(vertx, config(root.resolve("m"), mode));
                try {
                    fill(again, "b", 50);
                    long from = slave.replicaLog().maxOffset();
                    long end = copy(again.replicaLog(), slave.replicaLog(), from, new Random(8));
                    assertArrayEquals(bytes(again.replicaLog(), 0, end), bytes(slave.replicaLog(), 0, end),
                            "caught up after a restart from its own offset " + from);
                    assertEquals(again.maxOffsetInQueue("T2", 1), slave.maxOffsetInQueue("T2", 1));
                } finally {
                    again.shutdown();
                }
            } finally {
                slave.shutdown();
            }
        }
    }

    @Test
    void messagesAfterCountsTheRecordsEndingPastAnOffset() throws Exception {
        MessageStore store = MessageStores.open(vertx, config(dir.resolve("count"), StoreConfig.FlushMode.ASYNC_FLUSH));
        try {
            int n = 700;
            long[] ends = new long[n];
            for (int i = 0; i < n; i++) {
                PutResult r = store.put(message("T" + (i % 3), i % 2, "m" + i + "x".repeat(i % 200), "t",
                        "k" + i)).join();
                ends[i] = r.physicalOffset() + r.wroteBytes();
            }
            ReplicaLog log = store.replicaLog();
            assertEquals(n, log.messagesAfter(0));
            assertEquals(0, log.messagesAfter(log.maxOffset()));
            for (int i = 0; i < n; i += 37) {
                assertEquals(n - i - 1, log.messagesAfter(ends[i]), "after the end of message " + i);
                assertEquals(n - i, log.messagesAfter(ends[i] - 1), "inside message " + i + ": it is lacking");
            }
        } finally {
            store.shutdown();
        }
    }

    /**
     * A replica's log may end inside a record (frames cut records), and so may the flushed offset its checkpoint
     * records. Stopped there cleanly, or crashed with such a checkpoint, it recovers to a record boundary, keeps
     * every whole record and resumes from there.
     */
    @Test
    void aReplicaEndingInsideARecordRecoversToABoundaryAndResumes() throws Exception {
        MessageStore master = MessageStores.open(vertx, smallConfig(dir.resolve("m")));
        try {
            int n = 300;
            long[] ends = new long[n];
            for (int i = 0; i < n; i++) {
                PutResult r = master.put(message("T" + (i % 3), i % 2, "r" + i + "-" + "y".repeat(i % 150), "t",
                        "rkey" + i)).join();
                ends[i] = r.physicalOffset() + r.wroteBytes();
            }
            ReplicaLog from = master.replicaLog();

            // a clean stop inside record 101
            Path cleanRoot = dir.resolve("clean");
            MessageStore slave = MessageStores.open(vertx, smallConfig(cleanRoot));
            copyTo(from, slave.replicaLog(), 0, ends[100] + 11);
            slave.shutdown();
            slave = MessageStores.open(vertx, smallConfig(cleanRoot));
            try {
                assertEquals(ends[100], slave.replicaLog().maxOffset(), "the partial record is dropped");
                resumeAndCompare(master, slave, ends[100]);
            } finally {
                slave.shutdown();
            }

            // a crash whose checkpoint names a flushed offset inside record 151, with records dispatched to 250
            Path crashRoot = dir.resolve("crash");
            slave = MessageStores.open(vertx, smallConfig(crashRoot));
            copyTo(from, slave.replicaLog(), 0, ends[250]);
            slave.shutdown();
            new Checkpoint(0, 0, 0, ends[150] + 5, ends[250], ends[250]).write(crashRoot.resolve("checkpoint"));
            java.nio.file.Files.createFile(crashRoot.resolve("abort"));
            slave = MessageStores.open(vertx, smallConfig(crashRoot));
            try {
                assertEquals(ends[250], slave.replicaLog().maxOffset(), "every whole record kept");
                resumeAndCompare(master, slave, ends[250]);
            } finally {
                slave.shutdown();
            }
        } finally {
            master.shutdown();
        }
    }

    /** Copies master bytes [from, to) in random chunks, the last one ending exactly at {@code to}. */
    private static void copyTo(ReplicaLog master, ReplicaLog slave, long from, long to) {
        Random random = new Random(to);
        long at = from;
        while (at < to) {
            ByteBuffer chunk = master.read(at, (int) Math.min(to - at, 1 + random.nextInt(5000)));
            at = slave.append(at, chunk).join();
        }
    }

    private static void resumeAndCompare(MessageStore master, MessageStore slave, long from) {
        long end = copy(master.replicaLog(), slave.replicaLog(), from, new Random(from));
        assertEquals(master.replicaLog().maxOffset(), end);
        assertArrayEquals(bytes(master.replicaLog(), 0, end), bytes(slave.replicaLog(), 0, end));
        for (int t = 0; t < 3; t++) {
            for (int q = 0; q < 2; q++) {
                assertEquals(master.maxOffsetInQueue("T" + t, q), slave.maxOffsetInQueue("T" + t, q), "T" + t + "-" + q);
            }
        }
    }

    @Test
    void divergedTailIsCutToARecordBoundaryThenReplaced() throws Exception {
        MessageStore master = MessageStores.open(vertx, smallConfig(dir.resolve("m")));
        MessageStore diverged = MessageStores.open(vertx, smallConfig(dir.resolve("d")));
        MessageStore slave = MessageStores.open(vertx, smallConfig(dir.resolve("s")));
        try {
            fill(master, "common", 200);
            long common = master.replicaLog().maxOffset();
            copy(master.replicaLog(), diverged.replicaLog(), 0, new Random(1));
            copy(master.replicaLog(), slave.replicaLog(), 0, new Random(2));
            // the slave got a tail the master later lost: a different history past `common`, written by a store
            // that took over the copy (reopened, so its queue offsets continue the replicated ones)
            diverged.shutdown();
            diverged = MessageStores.open(vertx, smallConfig(dir.resolve("d")));
            fill(diverged, "lost", 120);
            long slaveEnd = copy(diverged.replicaLog(), slave.replicaLog(), common, new Random(3));
            fill(master, "kept", 80);
            long queueBefore = slave.maxOffsetInQueue("T0", 0);

            long cut = slave.replicaLog().truncate(common + 37).join();
            assertEquals(common, cut, "cut at the start of the record holding the asked offset");
            assertTrue(slaveEnd > cut);
            assertEquals(common, slave.replicaLog().maxOffset());
            assertTrue(slave.maxOffsetInQueue("T0", 0) < queueBefore, "queue entries of the cut tail are gone");
            assertEquals(0, slave.query("T0", "lostkey0", 4, 0, Long.MAX_VALUE).messages().size());

            long end = copy(master.replicaLog(), slave.replicaLog(), cut, new Random(4));
            assertArrayEquals(bytes(master.replicaLog(), 0, end), bytes(slave.replicaLog(), 0, end));
            for (int q = 0; q < 2; q++) {
                assertEquals(master.maxOffsetInQueue("T0", q), slave.maxOffsetInQueue("T0", q));
            }
            assertEquals(1, slave.query("T0", "keptkey0", 4, 0, Long.MAX_VALUE).messages().size());
            assertNull(slave.replicaLog().read(-1, 10));
        } finally {
            master.shutdown();
            diverged.shutdown();
            slave.shutdown();
        }
    }
}

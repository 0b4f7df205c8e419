package io.tern.store.impl;

import io.tern.common.message.StoredRecordLayout;
import io.tern.store.MessageStore;
import io.tern.store.MessageStores;
import io.tern.store.PutResult;
import io.tern.store.StoreConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static io.tern.store.impl.TestSupport.message;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RecoveryTest extends WithVertx {
    @TempDir
    Path dir;

    private List<String> fill(StoreConfig c, int n) throws Exception {
        MessageStore store = MessageStores.open(vertx, c);
        List<String> bodies = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            bodies.add("m" + i + "-" + "p".repeat(i % 50));
            store.put(message("R", 0, bodies.get(i), null, "key" + i)).join();
        }
        store.shutdown();
        return bodies;
    }

    private static void writeAt(Path dir, StoreConfig c, long offset, ByteBuffer bytes) throws Exception {
        long seg = offset - offset % c.commitLogSegmentBytes;
        try (FileChannel ch = FileChannel.open(dir.resolve("commitlog").resolve(MappedSegment.name(seg)),
                StandardOpenOption.WRITE)) {
            ch.write(bytes, offset - seg);
        }
    }

    private static ByteBuffer record(long physicalOffset, long queueOffset, String body) throws Exception {
        ByteBuffer rec = TestSupport.encodeWhole(message("R", 0, body), 1 << 20);
        RecordCodec.patch(rec, queueOffset, physicalOffset, System.currentTimeMillis());
        return rec;
    }

    /** A crash that took the consume queues and the checkpoint with it: recovery rebuilds from the log alone. */
    private void loseConsumeQueuesAndCheckpointInACrash() throws Exception {
        try (var s = Files.walk(dir.resolve("consumequeue"))) {
            for (Path p : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
        Files.delete(dir.resolve("checkpoint"));
        Files.createFile(dir.resolve("abort"));
    }

    private long endOf(StoreConfig c) throws Exception {
        DefaultMessageStore s = new DefaultMessageStore(vertx, c);
        s.start();
        long end = s.stats().maxPhysicalOffset();
        s.shutdown();
        return end;
    }

    @Test
    void halfWrittenRecordAndGarbageAreTruncatedAfterACleanStop() throws Exception {
        StoreConfig c = TestSupport.smallConfig(dir);
        List<String> bodies = fill(c, 50);
        long end = endOf(c);
        ByteBuffer torn = record(end, 50, "torn");
        torn.limit(torn.limit() / 2);
        writeAt(dir, c, end, torn);
        byte[] garbage = new byte[500];
        new Random(7).nextBytes(garbage);
        writeAt(dir, c, end + 200, ByteBuffer.wrap(garbage));

        DefaultMessageStore store = new DefaultMessageStore(vertx, c);
        store.start();
        try {
            assertEquals(end, store.lastRecovery().endOffset());
            assertEquals(bodies, TestSupport.drain(store, "R", 0));
            PutResult r = store.put(message("R", 0, "after")).join();
            assertEquals(end, r.physicalOffset());
            assertEquals(50, r.queueOffset());
            bodies.add("after");
            assertEquals(bodies, TestSupport.drain(store, "R", 0));
        } finally {
            store.shutdown();
        }
        MessageStore again = MessageStores.open(vertx, c);
        assertEquals(bodies, TestSupport.drain(again, "R", 0));
        again.shutdown();
    }

    @Test
    void afterACrashAWholeUndispatchedRecordIsRedispatchedAndTheTornOneDropped() throws Exception {
        StoreConfig c = TestSupport.smallConfig(dir);
        List<String> bodies = fill(c, 40);
        long end = endOf(c);
        ByteBuffer whole = record(end, 40, "whole-but-undispatched");
        int wholeBytes = whole.remaining();
        writeAt(dir, c, end, whole);
        ByteBuffer torn = record(end + wholeBytes, 41, "torn");
        torn.putInt(StoredRecordLayout.BODY_CRC_OFFSET, 12345);
        writeAt(dir, c, end + wholeBytes, torn);
        Files.createFile(dir.resolve("abort"));

        DefaultMessageStore store = new DefaultMessageStore(vertx, c);
        store.start();
        try {
            assertEquals(end + wholeBytes, store.lastRecovery().endOffset(), "CRC mismatch ends the log");
            bodies.add("whole-but-undispatched");
            assertEquals(bodies, TestSupport.drain(store, "R", 0));
            assertEquals(41, store.put(message("R", 0, "next")).join().queueOffset());
        } finally {
            store.shutdown();
        }
    }

    @Test
    void consumeQueueEntriesPastTheRecoveredEndAreTruncated() throws Exception {
        StoreConfig c = TestSupport.smallConfig(dir);
        List<String> bodies = fill(c, 30);
        DefaultMessageStore probe = new DefaultMessageStore(vertx, c);
        probe.start();
        long lastTwo = TestSupport.decode(probe.get("R", 0, 28, 1, 1 << 20, null).messages().get(0))
                .physicalOffset();
        long twenty = TestSupport.decode(probe.get("R", 0, 20, 1, 1 << 20, null).messages().get(0))
                .physicalOffset();
        probe.shutdown();
        // a power loss: the last checkpoint was at record 20 and the last two records never reached the disk,
        // while the consume queue (flushed separately) still has their entries
        new Checkpoint(0, 0, 0, twenty, twenty, twenty).write(dir.resolve("checkpoint"));
        writeAt(dir, c, lastTwo, ByteBuffer.allocate(2000));
        Files.createFile(dir.resolve("abort"));

        DefaultMessageStore store = new DefaultMessageStore(vertx, c);
        store.start();
        try {
            assertEquals(lastTwo, store.lastRecovery().endOffset());
            assertEquals(28, store.maxOffsetInQueue("R", 0));
            assertEquals(bodies.subList(0, 28), TestSupport.drain(store, "R", 0));
            PutResult r = store.put(message("R", 0, "reuses offset")).join();
            assertEquals(28, r.queueOffset());
            assertEquals(lastTwo, r.physicalOffset());
            assertTrue(store.query("R", "key29", 10, 0, Long.MAX_VALUE).messages().isEmpty(),
                    "index must not return the lost record or the one now at its offset");
        } finally {
            store.shutdown();
        }
    }

    @Test
    void aConsumeQueueEntryLostInAPowerCutIsFilledAgain() throws Exception {
        StoreConfig c = TestSupport.smallConfig(dir);
        List<String> bodies = fill(c, 30);
        try (FileChannel ch = FileChannel.open(dir.resolve("consumequeue/R/0").resolve(MappedSegment.name(0)),
                StandardOpenOption.WRITE)) {
            ch.write(ByteBuffer.allocate(ConsumeQueue.ENTRY_BYTES), 10L * ConsumeQueue.ENTRY_BYTES);
        }
        new Checkpoint(0, 0, 0, 0, 0, 0).write(dir.resolve("checkpoint"));
        Files.createFile(dir.resolve("abort"));
        MessageStore store = MessageStores.open(vertx, c);
        try {
            assertEquals(bodies, TestSupport.drain(store, "R", 0));
        } finally {
            store.shutdown();
        }
    }

    @Test
    void lostConsumeQueuesAndCheckpointAreRebuiltFromTheLog() throws Exception {
        StoreConfig c = TestSupport.smallConfig(dir);
        List<String> bodies = fill(c, 120);
        loseConsumeQueuesAndCheckpointInACrash();
        DefaultMessageStore store = new DefaultMessageStore(vertx, c);
        store.start();
        try {
            assertEquals(0, store.lastRecovery().walkedFrom());
            assertEquals(bodies, TestSupport.drain(store, "R", 0));
            assertEquals(120, store.put(message("R", 0, "more")).join().queueOffset());
            assertEquals(1, store.query("R", "key5", 10, 0, Long.MAX_VALUE).messages().size(),
                    "re-dispatch must not duplicate index entries");
        } finally {
            store.shutdown();
        }
    }

    @Test
    void v2RecordsOfLongRetryTopicsSurviveACrashRecoveryFromScratch() throws Exception {
        StoreConfig c = TestSupport.smallConfig(dir);
        String retry = "%RETRY%" + "g".repeat(150);
        MessageStore first = MessageStores.open(vertx, c);
        List<Long> offsets = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            String topic = i % 2 == 0 ? retry : "R";
            PutResult r = first.put(message(topic, 0, "b" + i, null, "key" + i)).join();
            assertTrue(r.isStored(), r.remark());
            offsets.add(r.physicalOffset());
        }
        first.shutdown();
        loseConsumeQueuesAndCheckpointInACrash();
        DefaultMessageStore store = new DefaultMessageStore(vertx, c);
        store.start();
        try {
            assertEquals(20, store.lastRecovery().redispatchedRecords(), "no record was taken for garbage");
            assertEquals(List.of("b0", "b2", "b4", "b6", "b8", "b10", "b12", "b14", "b16", "b18"),
                    TestSupport.drain(store, retry, 0));
            assertEquals(10, TestSupport.drain(store, "R", 0).size());
            TestSupport.Decoded d = TestSupport.decode(store.messageAt(offsets.get(4)));
            assertEquals(StoredRecordLayout.MAGIC_V2, d.magic());
            assertEquals(retry, d.topic());
            assertEquals(1, store.query(retry, "key4", 10, 0, Long.MAX_VALUE).messages().size());
            assertEquals(0, store.query(retry, "key5", 10, 0, Long.MAX_VALUE).messages().size());
        } finally {
            store.shutdown();
        }
    }
}

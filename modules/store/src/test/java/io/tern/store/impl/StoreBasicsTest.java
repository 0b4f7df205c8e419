package io.tern.store.impl;

import io.tern.common.message.MessageSysFlag;
import io.tern.common.message.StoredRecordLayout;
import io.tern.common.message.TagCodes;
import io.tern.store.GetResult;
import io.tern.store.GetResult.GetStatus;
import io.tern.store.MessageFilter;
import io.tern.store.MessageStore;
import io.tern.store.MessageStores;
import io.tern.store.PutResult;
import io.tern.store.PutResult.PutStatus;
import io.tern.store.StoreConfig;
import io.tern.store.StoreMessage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static io.tern.store.impl.TestSupport.message;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StoreBasicsTest extends WithVertx {
    @TempDir
    Path dir;
    MessageStore store;

    @AfterEach
    void stop() {
        if (store != null) {
            store.shutdown();
        }
    }

    private MessageStore open(StoreConfig c) throws IOException {
        store = MessageStores.open(vertx, c);
        return store;
    }

    @Test
    void putThenGetRoundTripsEveryField() throws Exception {
        open(TestSupport.smallConfig(dir));
        StoreMessage m = message("TopicA", 1, "hello", "TagA", "k1 k2");
        m.bornHostAddress = new byte[16];
        m.bornHostAddress[15] = 1;
        PutResult r = store.put(m).join();
        assertEquals(PutStatus.PUT_OK, r.status());
        assertEquals(0, r.queueOffset());
        assertEquals(0, r.physicalOffset());

        GetResult g = store.get("TopicA", 1, 0, 32, 1 << 20, MessageFilter.ALL);
        assertEquals(GetStatus.FOUND, g.status());
        assertEquals(1, g.nextBeginOffset());
        assertEquals(1, g.messages().size());
        ByteBuffer rec = g.messages().get(0);
        assertTrue(rec.isReadOnly());
        TestSupport.Decoded d = TestSupport.decode(rec);
        assertEquals(rec.remaining(), d.totalSize());
        assertEquals(r.wroteBytes(), d.totalSize());
        assertEquals(StoredRecordLayout.MAGIC_V1, d.magic());
        java.util.zip.CRC32 crc = new java.util.zip.CRC32();
        crc.update("hello".getBytes());
        assertEquals((int) (crc.getValue() & 0x7FFFFFFF), d.bodyCrc());
        assertEquals(1, d.queueId());
        assertEquals(3, d.flag());
        assertEquals(0, d.queueOffset());
        assertEquals(0, d.physicalOffset());
        assertEquals(MessageSysFlag.BORNHOST_V6, d.sysFlag());
        assertEquals(1_700_000_000_000L, d.bornTimestamp());
        assertArrayEquals(m.bornHostAddress, d.bornHost());
        assertEquals(40000, d.bornPort());
        assertEquals(r.storeTimestamp(), d.storeTimestamp());
        assertArrayEquals(TestSupport.STORE_HOST, d.storeHost());
        assertEquals(10911, d.storePort());
        assertEquals(2, d.reconsumeTimes());
        assertEquals(0, d.preparedTxOffset());
        assertEquals("hello", d.body());
        assertEquals("TopicA", d.topic());
        assertEquals(m.properties, d.properties());
        assertEquals(d.storeTimestamp(), store.storeTime("TopicA", 1, 0));
        assertEquals(d.storeTimestamp(), store.earliestMessageTime("TopicA", 1));

        ByteBuffer viewed = store.messageAt(0);
        assertEquals("hello", TestSupport.body(viewed));
        assertNull(store.messageAt(5), "not a record start");
        assertNull(store.messageAt(1 << 20), "beyond the end");
    }

    @Test
    void batchGetsConsecutiveQueueOffsets() throws Exception {
        open(TestSupport.smallConfig(dir));
        store.put(message("T", 0, "first")).join();
        List<StoreMessage> batch = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            batch.add(message("T", 0, "b" + i));
        }
        PutResult r = store.putBatch(batch).join();
        assertEquals(PutStatus.PUT_OK, r.status());
        assertEquals(1, r.queueOffset());
        assertEquals(5, r.physicalOffsets().length);
        for (int i = 0; i < 5; i++) {
            TestSupport.Decoded d = TestSupport.decode(store.messageAt(r.physicalOffsets()[i]));
            assertEquals("b" + i, d.body());
            assertEquals(1 + i, d.queueOffset());
            if (i > 0) {
                assertEquals(r.physicalOffsets()[i - 1] + TestSupport.decode(store.messageAt(
                        r.physicalOffsets()[i - 1])).totalSize(), r.physicalOffsets()[i], "contiguous");
            }
        }
        assertEquals(List.of("first", "b0", "b1", "b2", "b3", "b4"), TestSupport.drain(store, "T", 0));
        assertEquals(PutStatus.MESSAGE_ILLEGAL,
                store.putBatch(List.of(message("T", 0, "x"), message("T", 1, "y"))).join().status());
    }

    @Test
    void getStatusesAndNextOffsetsFollowTheSpec() throws Exception {
        open(TestSupport.smallConfig(dir));
        GetResult none = store.get("Nope", 0, 5, 32, 1 << 20, MessageFilter.ALL);
        assertEquals(GetStatus.NO_MATCHED_LOGIC_QUEUE, none.status());
        assertEquals(0, none.nextBeginOffset());
        for (int i = 0; i < 10; i++) {
            store.put(message("T", 0, "m" + i, i % 2 == 0 ? "even" : "odd", null)).join();
        }
        assertEquals(GetStatus.OFFSET_OVERFLOW_ONE, store.get("T", 0, 10, 32, 1 << 20, MessageFilter.ALL).status());
        assertEquals(10, store.get("T", 0, 10, 32, 1 << 20, MessageFilter.ALL).nextBeginOffset());
        GetResult badly = store.get("T", 0, 15, 32, 1 << 20, MessageFilter.ALL);
        assertEquals(GetStatus.OFFSET_OVERFLOW_BADLY, badly.status());
        assertEquals(10, badly.nextBeginOffset());
        assertEquals(10, badly.maxOffset());

        GetResult three = store.get("T", 0, 2, 3, 1 << 20, MessageFilter.ALL);
        assertEquals(GetStatus.FOUND, three.status());
        assertEquals(3, three.messages().size());
        assertEquals(5, three.nextBeginOffset());

        long evenCode = TagCodes.of("even");
        GetResult even = store.get("T", 0, 0, 32, 1 << 20, code -> code == evenCode);
        assertEquals(5, even.messages().size());
        assertEquals(10, even.nextBeginOffset(), "after the last examined entry");

        GetResult noMatch = store.get("T", 0, 0, 32, 1 << 20, code -> false);
        assertEquals(GetStatus.NO_MATCHED_MESSAGE, noMatch.status());
        assertEquals(10, noMatch.nextBeginOffset());

        GetResult oneBig = store.get("T", 0, 0, 32, 1, MessageFilter.ALL);
        assertEquals(1, oneBig.messages().size(), "at least one even when larger than maxBytes");
        assertEquals(1, oneBig.nextBeginOffset());

        GetResult recordFilter = store.get("T", 0, 0, 32, 1 << 20, new MessageFilter() {
            public boolean matchesTagsCode(long tagsCode) {
                return true;
            }

            public boolean matchesRecord(ByteBuffer record) {
                return TestSupport.body(record).equals("m7");
            }
        });
        assertEquals(1, recordFilter.messages().size());
    }

    @Test
    void offsetByTimeFindsTheFirstMessageAtOrAfterTheTime() throws Exception {
        open(TestSupport.smallConfig(dir));
        for (int i = 0; i < 10; i++) {
            StoreMessage m = message("T", 0, "m" + i);
            m.storeTimestamp = 1000 + i * 100L;
            store.put(m).join();
        }
        assertEquals(0, store.offsetInQueueByTime("T", 0, 10));
        assertEquals(0, store.offsetInQueueByTime("T", 0, 1000));
        assertEquals(3, store.offsetInQueueByTime("T", 0, 1300));
        // between two messages: the later one, however near the earlier is (4.x answered 3 here)
        assertEquals(4, store.offsetInQueueByTime("T", 0, 1301));
        assertEquals(4, store.offsetInQueueByTime("T", 0, 1360));
        assertEquals(9, store.offsetInQueueByTime("T", 0, 1900));
        // after the last message: the end of the queue, so nothing is re-delivered
        assertEquals(10, store.offsetInQueueByTime("T", 0, 1901));
        assertEquals(10, store.offsetInQueueByTime("T", 0, 99_999));
        assertEquals(0, store.offsetInQueueByTime("Unknown", 0, 1300));
        assertEquals(1500, store.storeTime("T", 0, 5));
        assertEquals(-1, store.storeTime("T", 0, 10));
    }

    @Test
    void offsetByTimeTakesTheFirstOfEqualStoreTimes() throws Exception {
        open(TestSupport.smallConfig(dir));
        long[] times = {1000, 2000, 2000, 2000, 3000};
        for (long t : times) {
            StoreMessage m = message("T", 0, "m" + t);
            m.storeTimestamp = t;
            store.put(m).join();
        }
        assertEquals(1, store.offsetInQueueByTime("T", 0, 2000));
        assertEquals(1, store.offsetInQueueByTime("T", 0, 1999));
        assertEquals(4, store.offsetInQueueByTime("T", 0, 2001));
    }

    @Test
    void preparedAndRollbackRecordsGetNoQueueEntry() throws Exception {
        open(TestSupport.smallConfig(dir));
        StoreMessage prepared = message("T", 0, "half");
        prepared.sysFlag = MessageSysFlag.TRANSACTION_PREPARED_TYPE;
        PutResult r = store.put(prepared).join();
        assertEquals(PutStatus.PUT_OK, r.status());
        StoreMessage commit = message("T", 0, "commit");
        commit.sysFlag = MessageSysFlag.TRANSACTION_COMMIT_TYPE;
        store.put(commit).join();
        assertEquals(List.of("commit"), TestSupport.drain(store, "T", 0));
        assertEquals("half", TestSupport.body(store.messageAt(r.physicalOffset())));
    }

    @Test
    void invalidMessagesAreRefused() throws Exception {
        StoreConfig c = TestSupport.smallConfig(dir);
        open(c);
        StoreMessage big = message("T", 0, "x".repeat(c.maxMessageBytes + 1));
        assertEquals(PutStatus.MESSAGE_ILLEGAL, store.put(big).join().status());
        assertEquals(PutStatus.MESSAGE_ILLEGAL, store.put(message("T".repeat(128), 0, "x")).join().status());
        StoreMessage props = message("T", 0, "x");
        props.properties = "K\u0001" + "v".repeat(40_000);
        assertEquals(PutStatus.PROPERTIES_SIZE_EXCEEDED, store.put(props).join().status());
        assertTrue(store.stats().putFailureCount() >= 3);
    }

    @ParameterizedTest
    @EnumSource(StoreConfig.FlushMode.class)
    void deleteTopicDropsQueuesAndRestartsOffsets(StoreConfig.FlushMode mode) throws Exception {
        StoreConfig c = TestSupport.smallConfig(dir);
        c.flushMode = mode;
        open(c);
        for (int i = 0; i < 5; i++) {
            store.put(message("Gone", i % 2, "m" + i)).join();
        }
        ((DefaultMessageStore) store).deleteTopicAsync("Gone").join();
        assertEquals(0, store.maxOffsetInQueue("Gone", 0));
        assertEquals(GetStatus.NO_MATCHED_LOGIC_QUEUE, store.get("Gone", 0, 0, 32, 1 << 20, MessageFilter.ALL)
                .status());
        assertEquals(false, dir.resolve("consumequeue/Gone").toFile().exists());
        assertEquals(0, store.put(message("Gone", 0, "again")).join().queueOffset());
        store.shutdown();
        store = MessageStores.open(vertx, c);
        assertEquals(List.of("again"), TestSupport.drain(store, "Gone", 0));
    }

    @Test
    void arrivalListenersHearEveryDispatchedRecord() throws Exception {
        open(TestSupport.smallConfig(dir));
        List<String> heard = new CopyOnWriteArrayList<>();
        store.addArrivalListener((topic, q, off, tags, ts) -> heard.add(topic + "-" + q + "@" + off));
        store.put(message("T", 0, "a")).join();
        store.put(message("T", 2, "b")).join();
        assertEquals(List.of("T-0@0", "T-2@0"), heard);
    }

    @Test
    void secondStoreOnTheSameRootIsRefused() throws Exception {
        open(TestSupport.smallConfig(dir));
        MessageStore second = MessageStores.create(vertx, TestSupport.smallConfig(dir));
        IOException e = assertThrows(IOException.class, second::start);
        assertTrue(e.getMessage().contains("Lock failed"));
        assertTrue(store.isWritable());
    }

    @Test
    void cleanRestartKeepsEverythingWithoutRescanning() throws Exception {
        open(TestSupport.smallConfig(dir));
        for (int i = 0; i < 300; i++) {
            store.put(message("T", i % 3, "m" + i, null, "key" + i)).join();
        }
        long end = store.stats().maxPhysicalOffset();
        store.shutdown();
        DefaultMessageStore reopened = new DefaultMessageStore(vertx, TestSupport.smallConfig(dir));
        store = reopened;
        reopened.start();
        assertEquals(end, reopened.lastRecovery().endOffset());
        assertEquals(end, reopened.lastRecovery().walkedFrom(), "clean restart starts at the checkpoint");
        assertEquals(0, reopened.lastRecovery().redispatchedRecords());
        assertEquals(100, store.maxOffsetInQueue("T", 1));
        assertEquals(100, store.put(message("T", 1, "next")).join().queueOffset());
        assertEquals(1, store.query("T", "key7", 10, 0, Long.MAX_VALUE).messages().size());
    }
}

package io.tern.store.impl;

import io.tern.common.message.MessageSysFlag;
import io.tern.common.message.StoredRecordLayout;
import io.tern.store.PutResult;
import io.tern.store.PutResult.PutStatus;
import io.tern.store.StoreConfig;
import io.tern.store.StoreMessage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static io.tern.store.impl.TestSupport.message;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The writer copies a record's head, its body (a view of the caller's bytes) and its trailer into the mapped log
 * separately; what lands there must be, byte for byte, what {@link StoredRecordLayout#encode} makes of the same
 * message with the writer's three fields stamped, and recovery after a crash must take every record back (CRC on).
 */
class StoredBytesTest extends WithVertx {
    @TempDir
    Path dir;

    @Test
    void everyAppendedRecordIsTheBytesTheLayoutEncodes() throws Exception {
        StoreConfig c = TestSupport.smallConfig(dir);
        c.checkCrcOnRecover = true;
        DefaultMessageStore store = new DefaultMessageStore(vertx, c);
        store.start();
        List<Sent> sent = new ArrayList<>();
        byte[] frame = new byte[12_000];
        for (int i = 0; i < frame.length; i++) {
            frame[i] = (byte) (i * 7 + 3);
        }
        try {
            // a body in the middle of a request frame, as the send path hands it over
            sent.add(put(store, message("Plain", 0, "unused"), ByteBuffer.wrap(frame, 4321, 5000).slice()));
            sent.add(put(store, message("Plain", 0, "unused"), ByteBuffer.wrap(frame, 10, 300)));
            sent.add(put(store, message("Plain", 0, "unused"), ByteBuffer.allocate(0)));
            StoreMessage v6 = message("Six", 1, "unused", "TagB", "k1 k2");
            v6.bornHostAddress = new byte[16];
            v6.bornHostAddress[0] = (byte) 0xfe;
            v6.sysFlag = MessageSysFlag.MULTI_TAGS;
            sent.add(put(store, v6, ByteBuffer.wrap(frame, 0, 2000)));
            sent.add(put(store, message("%RETRY%" + "g".repeat(190), 0, "unused"), ByteBuffer.wrap(frame, 9, 99)));
            StoreMessage preset = message("Preset", 0, "unused");
            preset.storeTimestamp = 1_234_567L;
            sent.add(put(store, preset, ByteBuffer.wrap(frame, 500, 64)));
            // a re-put whose body is a view of a record in the mapped log (scheduled delivery, retries, commits)
            ByteBuffer stored = store.messageAt(sent.get(0).result.physicalOffset());
            StoredRecordLayout.View view = new StoredRecordLayout.View();
            assertTrue(view.wrap(stored, stored.position(), stored.limit()));
            sent.add(put(store, message("Again", 2, "unused"), view.body()));

            StoreMessage b1 = message("Batch", 3, "unused");
            b1.body = ByteBuffer.wrap(frame, 100, 1000);
            StoreMessage b2 = message("Batch", 3, "unused");
            b2.body = ByteBuffer.wrap(frame, 1100, 10);
            PutResult batch = store.putBatch(List.of(b1, b2)).join();
            assertEquals(PutStatus.PUT_OK, batch.status());
            sent.add(new Sent(b1, copyOf(b1.body), batch, 0));
            sent.add(new Sent(b2, copyOf(b2.body), batch, 1));

            for (Sent s : sent) {
                assertSameBytes(s, store.messageAt(s.result.physicalOffsets()[s.index]));
            }
        } finally {
            store.shutdown();
        }

        // a crash that lost the checkpoint and consume queues: recovery walks every record, body CRCs checked
        Files.delete(dir.resolve("checkpoint"));
        Files.createFile(dir.resolve("abort"));
        DefaultMessageStore again = new DefaultMessageStore(vertx, c);
        again.start();
        try {
            Sent last = sent.get(sent.size() - 1);
            assertEquals(last.result.physicalOffsets()[last.index] + last.size(), again.lastRecovery().endOffset(),
                    "recovery kept every record");
            for (Sent s : sent) {
                assertSameBytes(s, again.messageAt(s.result.physicalOffsets()[s.index]));
            }
        } finally {
            again.shutdown();
        }
    }

    private record Sent(StoreMessage message, ByteBuffer body, PutResult result, int index) {
        int size() {
            return expected(this, 0, 0, 0).remaining();
        }
    }

    private static Sent put(DefaultMessageStore store, StoreMessage m, ByteBuffer body) {
        m.body = body;
        ByteBuffer before = copyOf(body);
        PutResult r = store.put(m).join();
        assertEquals(PutStatus.PUT_OK, r.status(), r.remark());
        assertEquals(before, body, "the caller's body buffer is neither moved nor changed");
        return new Sent(m, before, r, 0);
    }

    private static void assertSameBytes(Sent s, ByteBuffer stored) {
        assertNotNull(stored, s.message.topic);
        StoredRecordLayout.View v = new StoredRecordLayout.View();
        assertTrue(v.wrap(stored, stored.position(), stored.limit()), s.message.topic);
        ByteBuffer expected = expected(s, v.queueOffset(), s.result.physicalOffsets()[s.index], v.storeTimestamp());
        if (s.message.storeTimestamp != 0) {
            assertEquals(s.message.storeTimestamp, v.storeTimestamp(), "a preset store time is kept");
        }
        assertEquals(s.result.queueOffset() + s.index, v.queueOffset());
        assertArrayEquals(bytes(expected), bytes(stored), s.message.topic + ", " + s.body.remaining() + "-byte body");
    }

    /** The message encoded whole by the layout's owner, then stamped as the writer stamps it. */
    private static ByteBuffer expected(Sent s, long queueOffset, long physicalOffset, long storeTimestamp) {
        StoreMessage m = s.message;
        ByteBuffer whole = StoredRecordLayout.encode(m.topic.getBytes(StandardCharsets.UTF_8), m.queueId, m.flag,
                m.sysFlag, m.bornTimestamp, m.bornHostAddress, m.bornHostPort, m.storeTimestamp, m.storeHostAddress,
                m.storeHostPort, m.reconsumeTimes, m.preparedTransactionOffset, s.body,
                m.properties.getBytes(StandardCharsets.UTF_8));
        StoredRecordLayout.stamp(whole, queueOffset, physicalOffset, storeTimestamp);
        return whole;
    }

    private static ByteBuffer copyOf(ByteBuffer b) {
        ByteBuffer c = ByteBuffer.allocate(b.remaining());
        c.put(b.duplicate()).flip();
        return c;
    }

    private static byte[] bytes(ByteBuffer b) {
        byte[] out = new byte[b.remaining()];
        b.duplicate().get(out);
        return out;
    }
}

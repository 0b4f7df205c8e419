package io.tern.store.impl;

import io.tern.store.PutResult;
import io.tern.store.QueryResult;
import io.tern.store.StoreConfig;
import io.tern.store.StoreMessage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static io.tern.store.impl.TestSupport.message;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class IndexTest extends WithVertx {
    @TempDir
    Path dir;

    @Test
    void queriesByKeyUniqueKeyAndTimeAcrossIndexFiles() throws Exception {
        StoreConfig c = TestSupport.smallConfig(dir);
        DefaultMessageStore store = new DefaultMessageStore(vertx, c);
        store.start();
        long base = 1_750_000_000_000L;
        List<PutResult> results = new ArrayList<>();
        try {
            for (int i = 0; i < 300; i++) {
                StoreMessage m = message("IdxTopic", i % 4, "b" + i, null, "k" + i + " common");
                m.storeTimestamp = base + i * 1000L;
                results.add(store.put(m).join());
            }
            store.put(message("Other", 0, "other", null, "k5")).join();
            try (Stream<Path> s = Files.list(dir.resolve("index"))) {
                assertTrue(s.count() >= 3, "900 keys in files of 256 entries");
            }

            QueryResult byKey = store.query("IdxTopic", "k5", 32, 0, Long.MAX_VALUE);
            assertEquals(1, byKey.messages().size());
            TestSupport.Decoded d = TestSupport.decode(byKey.messages().get(0));
            assertEquals("b5", d.body());
            assertEquals("IdxTopic", d.topic());
            assertEquals(results.get(5).physicalOffset(), d.physicalOffset());

            QueryResult byUniq = store.query("IdxTopic", "UNIQ-b250", 32, 0, Long.MAX_VALUE);
            assertEquals(1, byUniq.messages().size());
            assertEquals("b250", TestSupport.body(byUniq.messages().get(0)));

            QueryResult window = store.query("IdxTopic", "common", 32, base + 100_000, base + 110_000);
            List<String> bodies = new ArrayList<>();
            for (ByteBuffer m : window.messages()) {
                bodies.add(TestSupport.body(m));
            }
            bodies.sort(null);
            List<String> expected = new ArrayList<>();
            for (int i = 100; i <= 110; i++) {
                expected.add("b" + i);
            }
            expected.sort(null);
            assertEquals(expected, bodies);

            assertEquals(10, store.query("IdxTopic", "common", 10, 0, Long.MAX_VALUE).messages().size());
            assertEquals(0, store.query("IdxTopic", "missing", 32, 0, Long.MAX_VALUE).messages().size());
            assertEquals(1, store.query("Other", "k5", 32, 0, Long.MAX_VALUE).messages().size());
            assertTrue(byKey.indexLastUpdatePhyoffset() >= results.get(299).physicalOffset());
            assertTrue(byKey.indexLastUpdateTimestamp() > 0);

            for (int i : new int[]{0, 77, 299}) {
                ByteBuffer viewed = store.messageAt(results.get(i).physicalOffset());
                assertEquals("b" + i, TestSupport.body(viewed));
            }
        } finally {
            store.shutdown();
        }
        DefaultMessageStore reopened = new DefaultMessageStore(vertx, c);
        reopened.start();
        try {
            assertEquals(1, reopened.query("IdxTopic", "k299", 32, 0, Long.MAX_VALUE).messages().size());
            assertEquals(1, reopened.query("IdxTopic", "k0", 32, 0, Long.MAX_VALUE).messages().size());
        } finally {
            reopened.shutdown();
        }
    }

    @Test
    void indexFileHashesChainsAndHonoursCapacity() throws Exception {
        IndexFile f = IndexFile.open(dir.resolve("20250101000000000"), 4, 6);
        assertTrue(f.put("T#a", 100, 5_000));
        assertTrue(f.put("T#b", 200, 6_000));
        assertTrue(f.put("T#a", 300, 9_000));
        List<Long> out = new ArrayList<>();
        f.select("T#a", 0, Long.MAX_VALUE, 10, out);
        assertEquals(List.of(300L, 100L), out, "newest first");
        out.clear();
        f.select("T#a", 8_000, 10_000, 10, out);
        assertEquals(List.of(300L), out);
        assertTrue(f.put("T#c", 400, 9_000));
        assertTrue(f.put("T#d", 500, 9_000));
        assertTrue(f.isFull(), "entry numbers start at 1");
        assertEquals(false, f.put("T#e", 600, 9_000));
        for (int i = 0; i < 1000; i++) {
            assertTrue(IndexFile.hash("T#key" + i) >= 0, "slot index must not be negative");
        }
    }
}

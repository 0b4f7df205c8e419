package io.tern.store.impl;

import io.tern.common.message.StoredRecordLayout;
import io.tern.store.MessageStore;
import io.tern.store.MessageStores;
import io.tern.store.PutResult;
import io.tern.store.StoreConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;

import static io.tern.store.impl.TestSupport.message;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RolloverTest extends WithVertx {
    @TempDir
    Path dir;

    @Test
    void recordsRollOverSegmentsWithBlankMarkersAndNeverSplit() throws Exception {
        StoreConfig c = TestSupport.smallConfig(dir);
        MessageStore store = MessageStores.open(vertx, c);
        List<CompletableFuture<PutResult>> puts = new ArrayList<>();
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 600; i++) {
            String body = i + "-" + "x".repeat(100 + (i * 37) % 900);
            expected.add(body);
            puts.add(store.put(message("Roll", 0, body)));
        }
        long segment = c.commitLogSegmentBytes;
        for (CompletableFuture<PutResult> f : puts) {
            PutResult r = f.join();
            long start = r.physicalOffset();
            assertEquals(start / segment, (start + r.wroteBytes() - 1) / segment, "record split across segments");
            assertTrue(start % segment + r.wroteBytes() + StoredRecordLayout.BLANK_MARKER_BYTES <= segment);
        }
        assertEquals(expected, TestSupport.drain(store, "Roll", 0));
        long end = store.stats().maxPhysicalOffset();
        store.shutdown();

        List<Path> segments;
        try (Stream<Path> s = Files.list(dir.resolve("commitlog"))) {
            segments = s.sorted().toList();
        }
        assertTrue(segments.size() >= 5, "several segments: " + segments);
        assertEquals(MappedSegment.name(0), segments.get(0).getFileName().toString());
        assertEquals(MappedSegment.name(segment), segments.get(1).getFileName().toString());
        // walk segment 0 record by record up to its blank marker
        ByteBuffer seg0 = ByteBuffer.wrap(Files.readAllBytes(segments.get(0)));
        int pos = 0;
        while (seg0.getInt(pos + 4) == StoredRecordLayout.MAGIC_V1) {
            pos += seg0.getInt(pos);
        }
        assertEquals(StoredRecordLayout.BLANK_MAGIC, seg0.getInt(pos + 4));
        assertEquals(segment - pos, seg0.getInt(pos), "blank TOTALSIZE = bytes left");

        // consume queue rolled over too: 600 entries in files of 100, named by start byte offset
        List<String> cqFiles;
        try (Stream<Path> s = Files.list(dir.resolve("consumequeue/Roll/0"))) {
            cqFiles = s.map(p -> p.getFileName().toString()).sorted().toList();
        }
        assertEquals(6, cqFiles.size());
        assertEquals(MappedSegment.name(2000), cqFiles.get(1));

        MessageStore reopened = MessageStores.open(vertx, c);
        assertEquals(end, reopened.stats().maxPhysicalOffset());
        assertEquals(expected, TestSupport.drain(reopened, "Roll", 0));
        assertEquals(600, reopened.put(message("Roll", 0, "after")).join().queueOffset());
        reopened.shutdown();
    }
}

package io.tern.store.impl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A consume queue's (and an index file's) appends must not drag its whole file into the page cache. Storing into an uncached page of
 * a mapping faults it in with the device's read-around (8 MiB on the benchmark machine, 128 KiB at least on common
 * devices), more than a 6 MB queue file: with 10,000 queues each first entry cost ~12 ms and 6 MB of memory.
 * Checked against the real kernel with util-linux {@code fincore}.
 */
class ConsumeQueuePageCacheTest {
    @TempDir
    Path dir;

    @Test
    void aFreshQueuesFirstEntriesCacheOnlyThePagesTheyUse() throws Exception {
        ConsumeQueue cq = new ConsumeQueue("T", 0, dir.resolve("T/0"), 300_000);
        cq.load();
        for (int i = 0; i < 300; i++) { // 6,000 bytes: two pages
            assertTrue(cq.append(i, 1000L * i, 100, i));
        }
        Path file;
        try (var files = Files.list(dir.resolve("T/0"))) {
            file = files.findFirst().orElseThrow();
        }
        assertEquals(6_000_000, Files.size(file), "the file keeps its size");
        long cached = cachedBytes(file);
        assertTrue(cached <= 64 * 1024, "page cache held by a queue with two pages of entries: " + cached + " bytes");
    }

    @Test
    void aFreshIndexFileCachesOnlyItsSlotsAndTheEntriesWritten() throws Exception {
        // 1,000 slots (4 KB) and room for 1,000,000 entries (20 MB): 300 random keys touch one page of slots
        Path file = dir.resolve("20250101000000000");
        IndexFile f = IndexFile.open(file, 1_000, 1_000_000);
        for (int i = 0; i < 300; i++) {
            assertTrue(f.put("T#key" + i, 1000L * i, 5_000));
        }
        long cached = cachedBytes(file);
        assertTrue(cached <= 64 * 1024, "page cache held by an index file with 300 entries: " + cached + " bytes");
        f.file().close();

        IndexFile again = IndexFile.open(file, 1_000, 1_000_000);
        for (int i = 300; i < 600; i++) {
            assertTrue(again.put("T#key" + i, 1000L * i, 6_000));
        }
        java.util.List<Long> out = new java.util.ArrayList<>();
        for (int i = 0; i < 600; i += 37) {
            out.clear();
            again.select("T#key" + i, 0, Long.MAX_VALUE, 4, out);
            assertEquals(java.util.List.of(1000L * i), out, "key " + i + " after reopening");
        }
        again.file().close();
    }

    @Test
    void entriesSurviveAReopenWhoseLastPageIsPartialAndAFileThatIsNoWholeNumberOfPages() throws Exception {
        // 250 entries a file = 5,000 bytes: not a multiple of the page; 260 entries end inside the second file
        ConsumeQueue cq = new ConsumeQueue("T", 1, dir.resolve("T/1"), 250);
        cq.load();
        for (int i = 0; i < 260; i++) {
            assertTrue(cq.append(i, 1000L * i, 100, i));
        }
        ConsumeQueue again = new ConsumeQueue("T", 1, dir.resolve("T/1"), 250);
        again.load();
        assertEquals(260, again.maxOffset());
        for (int i = 260; i < 520; i++) {
            assertTrue(again.append(i, 1000L * i, 100, i));
        }
        ConsumeQueue third = new ConsumeQueue("T", 1, dir.resolve("T/1"), 250);
        third.load();
        assertEquals(520, third.maxOffset());
        for (long i = 0; i < 520; i++) {
            MappedSegment f = third.fileFor(i);
            assertEquals(1000L * i, f.buffer().getLong(ConsumeQueue.posOf(f, i)), "entry " + i);
        }
        try (var files = Files.list(dir.resolve("T/1"))) {
            files.forEach(f -> {
                try {
                    assertEquals(5_000, Files.size(f), f + " keeps its size");
                } catch (IOException e) {
                    throw new AssertionError(e);
                }
            });
        }
    }

    /** Bytes of {@code file} in the page cache, from {@code fincore --bytes --raw --noheadings --output RES}. */
    static long cachedBytes(Path file) throws Exception {
        Process p = new ProcessBuilder("fincore", "--bytes", "--raw", "--noheadings", "--output", "RES",
                file.toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).trim();
        assertTrue(p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0, "fincore failed: " + out);
        return Long.parseLong(out);
    }
}

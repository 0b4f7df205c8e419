package io.tern.store.impl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The heap does not grow with the backlog (issue 3, memory): a store process whose heap is a few megabytes
 * stores millions of messages and reads every one back. Any per-message structure on the heap — even one
 * boxed offset per message — would exhaust it. Consume-queue positions live in mapped files and reads return
 * views of mapped pages.
 *
 * <p>3 million messages by default (about 1 GB of commit log); {@code -Dtern.heapBound.messages=10000000}
 * shows the 10 million of the issue.
 */
class HeapBoundTest {
    private static final String HEAP = "-Xmx32m";

    @TempDir
    Path dir;

    @Test
    void millionsOfStoredMessagesFitInASmallHeap() throws Exception {
        long count = Long.getLong("tern.heapBound.messages", 3_000_000L);
        Path out = dir.resolve("child.out");
        Process child = new ProcessBuilder(ProcessHandle.current().info().command().orElseThrow(), HEAP,
                "-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path"), HeapBoundChild.class.getName(),
                dir.resolve("store").toString(), Long.toString(count))
                .redirectErrorStream(true)
                .redirectOutput(out.toFile())
                .start();
        assertTrue(child.waitFor(10, TimeUnit.MINUTES), "child finished");
        String output = Files.readString(out, StandardCharsets.UTF_8);
        assertEquals(0, child.exitValue(), "child exit (an OutOfMemoryError means heap grows with the backlog):\n"
                + tail(output));
        String done = output.lines().filter(l -> l.startsWith("DONE ")).findFirst()
                .orElseThrow(() -> new AssertionError("no result line:\n" + tail(output)));
        String[] parts = done.split(" ");
        assertEquals(count, Long.parseLong(parts[1]), "stored");
        assertEquals(count, Long.parseLong(parts[2]), "read back");
        long heapUsedBytes = Long.parseLong(parts[3]);
        System.out.printf("%d messages stored and read with %s; heap used after GC: %.1f MiB%n", count, HEAP,
                heapUsedBytes / 1048576.0);
    }

    private static String tail(String output) {
        return output.length() <= 4000 ? output : output.substring(output.length() - 4000);
    }
}

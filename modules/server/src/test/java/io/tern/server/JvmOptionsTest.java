package io.tern.server;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The launcher's default JVM flags (conf/jvm.options, read by scripts/tern). */
class JvmOptionsTest {
    private static final long NETTY_LOW_MEMORY_BYTES = 512L * 1024 * 1024;

    private static List<String> flags() throws IOException {
        Path root = Path.of(System.getProperty("tern.repoRoot", "../..")).toAbsolutePath().normalize();
        return Files.readAllLines(root.resolve("conf/jvm.options")).stream()
                .map(l -> l.replaceAll("#.*", "").trim())
                .filter(l -> !l.isEmpty())
                .toList();
    }

    static long bytes(String size) {
        String s = size.toLowerCase(Locale.ROOT);
        long unit = switch (s.charAt(s.length() - 1)) {
            case 'k' -> 1024L;
            case 'm' -> 1024L * 1024;
            case 'g' -> 1024L * 1024 * 1024;
            default -> 1L;
        };
        return Long.parseLong(unit == 1 ? s : s.substring(0, s.length() - 1)) * unit;
    }

    @Test
    void heapCeilingKeepsNettysAllocatorOutOfLowMemoryMode() throws IOException {
        List<String> xmx = flags().stream().filter(f -> f.startsWith("-Xmx")).toList();
        assertEquals(1, xmx.size(), "one -Xmx in conf/jvm.options: " + xmx);
        // Netty 4.2's adaptive allocator stops caching per thread and pooling buffers above ~16 KiB when
        // Runtime.maxMemory() <= 512 MiB: every large socket read then allocates a new direct buffer
        assertTrue(bytes(xmx.get(0).substring(4)) > NETTY_LOW_MEMORY_BYTES, xmx.get(0));
    }

    @Test
    void serialCollectorWithASmallYoungGeneration() throws IOException {
        List<String> flags = flags();
        assertTrue(flags.contains("-XX:+UseSerialGC"), flags.toString());
        assertTrue(flags.stream().anyMatch(f -> f.startsWith("-Xmn")), flags.toString());
    }

    @Test
    void compileThresholdsScaledUpForStartUp() throws IOException {
        // half of a start's CPU went to the JIT compilers on two cores (src-docs/performance-notes.md, change 32)
        List<String> scaling = flags().stream().filter(f -> f.startsWith("-XX:CompileThresholdScaling=")).toList();
        assertEquals(1, scaling.size(), flags().toString());
        double factor = Double.parseDouble(scaling.get(0).substring(scaling.get(0).indexOf('=') + 1));
        assertTrue(factor > 1 && factor <= 10, scaling.get(0));
    }
}

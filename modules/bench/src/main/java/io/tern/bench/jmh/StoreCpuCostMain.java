package io.tern.bench.jmh;

import io.tern.store.MessageStore;
import io.tern.store.MessageStores;
import io.tern.store.PutResult;
import io.tern.store.StoreConfig;
import io.vertx.core.Vertx;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * CPU per stored message of the store alone, per thread (a plain main, Linux only: it reads /proc/self/task).
 * On a machine shared with other work, throughput swings with the load while CPU per message stays put, so this
 * is the figure to compare store changes by. Puts {@link StoreAppendBenchmark#IN_FLIGHT} messages at a time and
 * waits for them, like the JMH benchmark; warms up, then measures.
 * Args: flushMode bodyBytes [measureSeconds=12] [warmupSeconds=8].
 * Prints msg/s, process CPU per message, context switches per message and the busiest threads' CPU per message.
 */
public final class StoreCpuCostMain {
    private static final int QUEUES = 8;

    public static void main(String[] args) throws Exception {
        StoreConfig.FlushMode mode = StoreConfig.FlushMode.valueOf(args[0]);
        int bodyBytes = Integer.parseInt(args[1]);
        long measureSeconds = args.length > 2 ? Long.parseLong(args[2]) : 12;
        long warmupSeconds = args.length > 3 ? Long.parseLong(args[3]) : 8;
        Path dir = Files.createTempDirectory("tern-cpu-cost");
        StoreConfig c = new StoreConfig(dir.toString());
        c.flushMode = mode;
        c.commitLogSegmentBytes = 256L * 1024 * 1024;
        Vertx vertx = Vertx.vertx();
        try {
            MessageStore store = MessageStores.open(vertx, c);
            ByteBuffer body = ByteBuffer.wrap(new byte[bodyBytes]);
            put(store, body, warmupSeconds);
            Map<String, Long> ticksBefore = threadTicks();
            long switchesBefore = contextSwitches();
            long cpuBefore = processCpuNanos();
            long t0 = System.nanoTime();
            long n = put(store, body, measureSeconds);
            double seconds = (System.nanoTime() - t0) / 1e9;
            long cpu = processCpuNanos() - cpuBefore;
            long switches = contextSwitches() - switchesBefore;
            Map<String, Long> ticksAfter = threadTicks();
            store.shutdown();
            System.out.printf("%s %d B: %.0f msg/s, %.2f us CPU/msg, %.3f context switches/msg%n", mode, bodyBytes,
                    n / seconds, cpu / 1e3 / n, (double) switches / n);
            StringBuilder threads = new StringBuilder("  us CPU/msg by thread:");
            ticksAfter.entrySet().stream()
                    .map(e -> Map.entry(e.getKey(), e.getValue() - ticksBefore.getOrDefault(e.getKey(), 0L)))
                    .filter(e -> e.getValue() > 0)
                    .sorted((a, b) -> Long.compare(b.getValue(), a.getValue()))
                    .limit(10)
                    .forEach(e -> threads.append(String.format(" %s=%.2f", e.getKey(), e.getValue() * 1e4 / n)));
            System.out.println(threads);
        } finally {
            vertx.close().await();
            StoreAppendBenchmark.deleteTree(dir);
        }
    }

    private static long put(MessageStore store, ByteBuffer body, long seconds) {
        long end = System.nanoTime() + seconds * 1_000_000_000L;
        long n = 0;
        int queue = 0;
        @SuppressWarnings("unchecked")
        CompletableFuture<PutResult>[] puts = new CompletableFuture[StoreAppendBenchmark.IN_FLIGHT];
        while (System.nanoTime() < end) {
            for (int i = 0; i < puts.length; i++) {
                puts[i] = store.put(StoreAppendBenchmark.message("CpuCostTopic", queue++ % QUEUES, body));
            }
            for (CompletableFuture<PutResult> f : puts) {
                PutResult r = f.join();
                if (!r.isStored()) {
                    throw new IllegalStateException(r.status() + " " + r.remark());
                }
            }
            n += puts.length;
        }
        return n;
    }

    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
                .getOperatingSystemMXBean()).getProcessCpuTime();
    }

    /** Clock ticks (10 ms) of user and system time by thread name; threads of one pool summed. */
    private static Map<String, Long> threadTicks() throws IOException {
        Map<String, Long> ticks = new HashMap<>();
        try (DirectoryStream<Path> tasks = Files.newDirectoryStream(Path.of("/proc/self/task"))) {
            for (Path task : tasks) {
                try {
                    String stat = Files.readString(task.resolve("stat"));
                    String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'))
                            .replaceAll("[0-9]+$", "#");
                    String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                    ticks.merge(name, Long.parseLong(fields[11]) + Long.parseLong(fields[12]), Long::sum);
                } catch (IOException threadEnded) {
                    // gone between listing and reading
                }
            }
        }
        return ticks;
    }

    private static long contextSwitches() throws IOException {
        long sum = 0;
        try (DirectoryStream<Path> tasks = Files.newDirectoryStream(Path.of("/proc/self/task"))) {
            for (Path task : tasks) {
                try {
                    for (String line : Files.readAllLines(task.resolve("status"))) {
                        if (line.contains("ctxt_switches")) {
                            sum += Long.parseLong(line.replaceAll("\\D", ""));
                        }
                    }
                } catch (IOException threadEnded) {
                    // gone between listing and reading
                }
            }
        }
        return sum;
    }
}

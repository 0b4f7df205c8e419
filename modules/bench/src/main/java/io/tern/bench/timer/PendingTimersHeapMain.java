package io.tern.bench.timer;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.rocketmq.client.producer.DefaultMQProducer;
import org.apache.rocketmq.client.producer.SendCallback;
import org.apache.rocketmq.client.producer.SendResult;
import org.apache.rocketmq.common.message.Message;

/**
 * Pending timers against broker heap (a plain main, one long measurement). Starts a standalone Tern process from
 * the fat jar ({@code args[0]}) with the JVM flags of conf/jvm.options, sends {@code args[1]} (default 1,000,000)
 * timer messages (TIMER_DELIVER_MS 2–3 hours ahead, 100-byte bodies) with the 4.9.8 client, and at every quarter
 * waits until the broker reports them all pending ({@code GET /api/timers}), forces a full GC in the broker
 * ({@code jcmd GC.run}) and reads its heap in use ({@code jvm_memory_used_bytes{area="heap"}} of /metrics) and its
 * resident memory, anonymous (heap, stacks, direct buffers) and file-backed (the mapped commit log, consume queue,
 * timer log and wheel: page cache the kernel may drop). Then restarts the broker (SIGTERM, start) and reports the time to ready and the pending count after it.
 *
 * <pre>java -cp tern-bench-*-bench.jar io.tern.bench.timer.PendingTimersHeapMain tern-server-*-fat.jar [count]</pre>
 */
public final class PendingTimersHeapMain {
    private static final String READY = "Tern standalone ready";
    private static final Pattern HEAP = Pattern.compile("jvm_memory_used_bytes\\{area=\"heap\",[^}]*} (\\S+)");
    private static final Pattern PENDING = Pattern.compile("\"pendingTotal\":(\\d+)");
    private static final Pattern LOG_BYTES = Pattern.compile("\"timerLogBytes\":(\\d+)");

    private final Path serverJar;
    private final Path storeRoot;
    private final int namesrvPort;
    private final int brokerPort;
    private final int httpPort;
    private final HttpClient http = HttpClient.newHttpClient();
    private Process broker;

    private PendingTimersHeapMain(Path serverJar, Path storeRoot) throws IOException {
        this.serverJar = serverJar;
        this.storeRoot = storeRoot;
        this.namesrvPort = freePort();
        this.brokerPort = freePort();
        this.httpPort = freePort();
    }

    public static void main(String[] args) throws Exception {
        Path jar = Path.of(args[0]).toAbsolutePath();
        long count = args.length > 1 ? Long.parseLong(args[1]) : 1_000_000;
        Path root = Files.createTempDirectory("tern-timers");
        PendingTimersHeapMain bench = new PendingTimersHeapMain(jar, root);
        try {
            bench.run(count);
        } finally {
            bench.stopBroker();
            try (Stream<Path> files = Files.walk(root)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private void run(long count) throws Exception {
        startBroker();
        System.out.printf("%12s %14s %12s %12s %16s %10s%n", "pending", "heap after GC", "RSS anon",
                "RSS file", "timer log bytes", "send s");
        report(0, 0);
        DefaultMQProducer producer = new DefaultMQProducer("PG_timer_heap");
        producer.setNamesrvAddr("127.0.0.1:" + namesrvPort);
        producer.setSendMsgTimeout(30_000);
        producer.start();
        String topic = "TimerHeap";
        byte[] body = new byte[100];
        long dueBase = System.currentTimeMillis() + 2 * 3600_000L;
        Semaphore inFlight = new Semaphore(512);
        AtomicLong failed = new AtomicLong();
        long sent = 0;
        long sendNanos = 0;
        try {
            for (int quarter = 1; quarter <= 4; quarter++) {
                long t0 = System.nanoTime();
                long until = count * quarter / 4;
                for (; sent < until; sent++) {
                    Message m = new Message(topic, "T", body);
                    // 36,000 ticks of 100 ms over one hour: ~28 timers a tick at a million
                    m.putUserProperty("TIMER_DELIVER_MS", Long.toString(dueBase + (sent % 36_000) * 100));
                    inFlight.acquire();
                    producer.send(m, new SendCallback() {
                        @Override
                        public void onSuccess(SendResult r) {
                            inFlight.release();
                        }

                        @Override
                        public void onException(Throwable e) {
                            failed.incrementAndGet();
                            inFlight.release();
                        }
                    });
                }
                inFlight.acquire(512);
                inFlight.release(512);
                sendNanos += System.nanoTime() - t0;
                awaitPending(sent - failed.get());
                report(sent - failed.get(), sendNanos / 1e9);
            }
        } finally {
            producer.shutdown();
        }
        if (failed.get() > 0) {
            System.out.println("failed sends: " + failed.get());
        }
        stopBroker();
        long t0 = System.nanoTime();
        startBroker();
        double restartSec = (System.nanoTime() - t0) / 1e9;
        long pending = pendingTotal();
        System.out.printf("restart (SIGTERM, start): ready in %.1f s, %d pending after it%n", restartSec, pending);
        report(pending, 0);
    }

    private void report(long pending, double sendSec) throws Exception {
        long pid = broker.pid();
        for (int i = 0; i < 2; i++) {
            // twice: the first attach also loads the attach machinery in the broker
            new ProcessBuilder("jcmd", Long.toString(pid), "GC.run").redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor();
        }
        String metrics = get("/metrics");
        double heap = 0;
        Matcher m = HEAP.matcher(metrics);
        while (m.find()) {
            heap += Double.parseDouble(m.group(1));
        }
        Matcher logBytes = LOG_BYTES.matcher(get("/api/timers"));
        System.out.printf("%,12d %10.1f MiB %8.1f MiB %8.1f MiB %,16d %10.1f%n", pending, heap / 1048576.0,
                rssKib(pid, "RssAnon:") / 1024.0, rssKib(pid, "RssFile:") / 1024.0,
                logBytes.find() ? Long.parseLong(logBytes.group(1)) : -1, sendSec);
    }

    private void awaitPending(long expected) throws Exception {
        long deadline = System.currentTimeMillis() + 600_000;
        while (pendingTotal() < expected && System.currentTimeMillis() < deadline) {
            Thread.sleep(200);
        }
    }

    private long pendingTotal() throws Exception {
        Matcher m = PENDING.matcher(get("/api/timers"));
        return m.find() ? Long.parseLong(m.group(1)) : -1;
    }

    private String get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + path)).build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }

    private void startBroker() throws Exception {
        Path log = storeRoot.resolve("broker.log");
        Files.deleteIfExists(log);
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                        .toString(), "-XX:+UseSerialGC", "-Xms96m", "-Xmx1g", "-Xmn48m",
                "-Dtern.broker.store.commitLogSegmentBytes=268435456", "-jar", serverJar.toString(), "standalone"));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().put("TERN_NAMESERVER_PORT", Integer.toString(namesrvPort));
        pb.environment().put("TERN_BROKER_PORT", Integer.toString(brokerPort));
        pb.environment().put("TERN_HTTP_PORT", Integer.toString(httpPort));
        pb.environment().put("TERN_STORE_ROOT", storeRoot.resolve("store").toString());
        broker = pb.start();
        long deadline = System.currentTimeMillis() + 120_000;
        while (System.currentTimeMillis() < deadline) {
            if (Files.exists(log) && Files.readString(log, StandardCharsets.UTF_8).contains(READY)) {
                return;
            }
            if (!broker.isAlive()) {
                throw new IllegalStateException("broker exited: " + Files.readString(log));
            }
            Thread.sleep(50);
        }
        throw new IllegalStateException("broker not ready in 120 s");
    }

    private void stopBroker() throws InterruptedException {
        if (broker != null && broker.isAlive()) {
            broker.destroy();
            broker.waitFor();
        }
    }

    /** A line of /proc/pid/status: RssAnon (heap, stacks, direct buffers) or RssFile (mapped files). */
    private static long rssKib(long pid, String field) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
            if (line.startsWith(field)) {
                return Long.parseLong(line.replaceAll("\\D", ""));
            }
        }
        return -1;
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}

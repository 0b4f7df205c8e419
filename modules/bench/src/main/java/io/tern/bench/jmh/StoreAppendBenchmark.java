package io.tern.bench.jmh;

import io.tern.store.MessageStore;
import io.tern.store.MessageStores;
import io.tern.store.PutResult;
import io.tern.store.StoreConfig;
import io.tern.store.StoreMessage;
import io.vertx.core.Vertx;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Commit-log append throughput: each invocation puts {@link #IN_FLIGHT} messages without waiting and then waits
 * for all, so SYNC_FLUSH measures group commit (one fsync per drained batch), not one fsync per message.
 * Score = messages per second.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class StoreAppendBenchmark {
    static final int IN_FLIGHT = 256;
    static final String UNIQ_KEY = "7F0000010001000000000000000000";
    static final String PROPERTIES = "UNIQ_KEY\u0001" + UNIQ_KEY + "\u0002TAGS\u0001TagA";

    @Param({"128", "1024", "16384"})
    public int bodyBytes;

    @Param({"ASYNC_FLUSH", "SYNC_FLUSH"})
    public String flushMode;

    private Path dir;
    private Vertx vertx;
    private MessageStore store;
    private ByteBuffer body;
    private int queue;

    @Setup(Level.Trial)
    public void open() throws IOException {
        dir = Files.createTempDirectory("tern-jmh-append");
        StoreConfig c = new StoreConfig(dir.toString());
        c.flushMode = StoreConfig.FlushMode.valueOf(flushMode);
        c.commitLogSegmentBytes = 256L * 1024 * 1024;
        vertx = Vertx.vertx();
        store = MessageStores.open(vertx, c);
        body = ByteBuffer.wrap(new byte[bodyBytes]);
    }

    @TearDown(Level.Trial)
    public void close() throws Exception {
        store.shutdown();
        vertx.close().await();
        deleteTree(dir);
    }

    static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    static StoreMessage message(String topic, int queueId, ByteBuffer body) {
        StoreMessage m = new StoreMessage();
        m.topic = topic;
        m.queueId = queueId;
        m.body = body.duplicate();
        // what the broker hands over after parsing the properties once: the string and the index keys
        m.properties = PROPERTIES;
        m.uniqKey = UNIQ_KEY;
        m.tagsCode = "TagA".hashCode();
        m.bornTimestamp = System.currentTimeMillis();
        m.bornHostAddress = new byte[]{127, 0, 0, 1};
        m.bornHostPort = 50000;
        m.storeHostAddress = new byte[]{127, 0, 0, 1};
        m.storeHostPort = 10911;
        return m;
    }

    @Benchmark
    @OperationsPerInvocation(IN_FLIGHT)
    public long append() {
        @SuppressWarnings("unchecked")
        CompletableFuture<PutResult>[] puts = new CompletableFuture[IN_FLIGHT];
        for (int i = 0; i < IN_FLIGHT; i++) {
            puts[i] = store.put(message("BenchTopic", queue++ & 7, body));
        }
        long sum = 0;
        for (CompletableFuture<PutResult> f : puts) {
            PutResult r = f.join();
            if (!r.isStored()) {
                throw new IllegalStateException(r.status() + " " + r.remark());
            }
            sum += r.physicalOffset();
        }
        return sum;
    }
}

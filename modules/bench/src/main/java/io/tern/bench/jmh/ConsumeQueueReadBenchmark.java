package io.tern.bench.jmh;

import io.tern.store.GetResult;
import io.tern.store.MessageFilter;
import io.tern.store.MessageStore;
import io.tern.store.MessageStores;
import io.tern.store.PutResult;
import io.tern.store.StoreConfig;
import io.vertx.core.Vertx;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Pull-side read throughput: {@code get()} of 32 messages (128 B bodies) at a time from a consume queue of
 * {@link #BACKLOG} entries, walking it round and round, records returned as views of the mapped commit log.
 * Score = messages per second.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class ConsumeQueueReadBenchmark {
    static final int BACKLOG = 200_000;
    static final int BATCH = 32;

    private Path dir;
    private Vertx vertx;
    private MessageStore store;
    private long offset;

    @Setup(Level.Trial)
    public void fill() throws IOException {
        dir = Files.createTempDirectory("tern-jmh-read");
        StoreConfig c = new StoreConfig(dir.toString());
        c.commitLogSegmentBytes = 64L * 1024 * 1024;
        vertx = Vertx.vertx();
        store = MessageStores.open(vertx, c);
        ByteBuffer body = ByteBuffer.wrap(new byte[128]);
        List<CompletableFuture<PutResult>> puts = new ArrayList<>();
        for (int i = 0; i < BACKLOG; i++) {
            puts.add(store.put(StoreAppendBenchmark.message("ReadTopic", 0, body)));
            if (puts.size() == 1024) {
                puts.forEach(CompletableFuture::join);
                puts.clear();
            }
        }
        puts.forEach(CompletableFuture::join);
    }

    @TearDown(Level.Trial)
    public void close() throws IOException {
        store.shutdown();
        vertx.close().await();
        StoreAppendBenchmark.deleteTree(dir);
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public int get() {
        GetResult r = store.get("ReadTopic", 0, offset, BATCH, 256 * 1024, MessageFilter.ALL);
        offset = r.nextBeginOffset() >= BACKLOG ? 0 : r.nextBeginOffset();
        int sum = 0;
        for (ByteBuffer m : r.messages()) {
            sum += m.getInt(0);
        }
        return sum;
    }
}

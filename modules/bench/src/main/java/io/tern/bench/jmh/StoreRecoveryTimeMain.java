package io.tern.bench.jmh;

import io.tern.store.MessageStore;
import io.tern.store.MessageStores;
import io.tern.store.PutResult;
import io.tern.store.StoreConfig;
import io.vertx.core.Vertx;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Recovery time per GB (a plain main: one long measurement, not a JMH loop). Writes {@code args[0]} MiB
 * (default 1024) of 1 KiB messages over 16 queues, stops cleanly, then measures: a clean restart; a restart
 * after a crash with the checkpoint gone and consume queues lost (full CRC walk and rebuild of every queue entry
 * and index key). Prints seconds and seconds per GiB.
 */
public final class StoreRecoveryTimeMain {
    public static void main(String[] args) throws Exception {
        long mib = args.length > 0 ? Long.parseLong(args[0]) : 1024;
        Path dir = Files.createTempDirectory("tern-recovery");
        StoreConfig c = new StoreConfig(dir.toString());
        c.commitLogSegmentBytes = 256L * 1024 * 1024;
        Vertx vertx = Vertx.vertx();
        try {
            MessageStore store = MessageStores.open(vertx, c);
            ByteBuffer body = ByteBuffer.wrap(new byte[1024]);
            List<CompletableFuture<PutResult>> puts = new ArrayList<>();
            long target = mib * 1024 * 1024;
            int i = 0;
            while (store.stats().maxPhysicalOffset() < target) {
                puts.add(store.put(StoreAppendBenchmark.message("RecoveryTopic", i++ & 15, body)));
                if (puts.size() == 4096) {
                    puts.forEach(CompletableFuture::join);
                    puts.clear();
                }
            }
            puts.forEach(CompletableFuture::join);
            long bytes = store.stats().maxPhysicalOffset();
            store.shutdown();
            double gib = bytes / (1024.0 * 1024 * 1024);

            long t0 = System.nanoTime();
            store = MessageStores.open(vertx, c);
            double cleanSec = (System.nanoTime() - t0) / 1e9;
            store.shutdown();

            Files.delete(dir.resolve("checkpoint"));
            StoreAppendBenchmark.deleteTree(dir.resolve("consumequeue"));
            StoreAppendBenchmark.deleteTree(dir.resolve("index"));
            Files.createFile(dir.resolve("abort"));
            t0 = System.nanoTime();
            store = MessageStores.open(vertx, c);
            double crashSec = (System.nanoTime() - t0) / 1e9;
            long entries = 0;
            for (int q = 0; q < 16; q++) {
                entries += store.maxOffsetInQueue("RecoveryTopic", q);
            }
            store.shutdown();
            System.out.printf("commit log: %.2f GiB, %d records%n", gib, entries);
            System.out.printf("clean restart: %.3f s%n", cleanSec);
            System.out.printf("crash restart, full CRC walk + rebuild of queues and index: %.2f s = %.2f s/GiB%n",
                    crashSec, crashSec / gib);
        } finally {
            vertx.close().await();
            StoreAppendBenchmark.deleteTree(dir);
        }
    }
}

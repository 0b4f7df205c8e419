package io.tern.store.impl;

import io.tern.store.GetResult;
import io.tern.store.MessageFilter;
import io.tern.store.PutResult.PutStatus;
import io.tern.store.StoreConfig;
import io.vertx.core.Vertx;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Child process for {@link HeapBoundTest}, run with a heap far smaller than the backlog: stores {@code count}
 * messages over {@link #QUEUES} queues, reads every one back through the consume queues, prints
 * "DONE stored read heapUsedBytes". Args: storeRoot count.
 */
public final class HeapBoundChild {
    static final int QUEUES = 8;
    private static final String TOPIC = "HeapBound";

    public static void main(String[] args) throws Exception {
        StoreConfig config = new StoreConfig(Path.of(args[0]).toString());
        config.commitLogSegmentBytes = 64L * 1024 * 1024;
        config.maxHashSlotNum = 50_000;
        config.maxIndexNum = 200_000;
        long count = Long.parseLong(args[1]);
        Vertx vertx = Vertx.vertx();
        DefaultMessageStore store = new DefaultMessageStore(vertx, config);
        store.start();
        Semaphore inFlight = new Semaphore(512);
        AtomicLong stored = new AtomicLong();
        String body = "x".repeat(128);
        for (long i = 0; i < count; i++) {
            inFlight.acquire();
            store.put(TestSupport.message(TOPIC, (int) (i % QUEUES), body)).whenComplete((r, e) -> {
                if (e == null && r.status() == PutStatus.PUT_OK) {
                    stored.incrementAndGet();
                }
                inFlight.release();
            });
        }
        inFlight.acquire(512);
        long read = 0;
        for (int q = 0; q < QUEUES; q++) {
            long offset = store.minOffsetInQueue(TOPIC, q);
            long max = store.maxOffsetInQueue(TOPIC, q);
            while (offset < max) {
                GetResult r = store.get(TOPIC, q, offset, 32, 256 * 1024, MessageFilter.ALL);
                read += r.messages().size();
                offset = r.nextBeginOffset();
            }
        }
        System.gc();
        long heapUsed = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
        store.shutdown();
        vertx.close().await();
        System.out.println("DONE " + stored.get() + " " + read + " " + heapUsed);
    }
}

package io.tern.store.impl;

import io.tern.store.GetResult;
import io.tern.store.MessageFilter;
import io.tern.store.PutResult;
import io.tern.store.PutResult.PutStatus;
import io.tern.store.StoreConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import static io.tern.store.impl.TestSupport.message;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Producers on several threads, readers polling meanwhile, SYNC_FLUSH: order, completeness, group commit. */
class ConcurrencyTest extends WithVertx {
    private static final int PRODUCERS = 4;
    private static final int PER_PRODUCER = 500;

    @TempDir
    Path dir;

    @Test
    void concurrentProducersAndReadersUnderGroupCommit() throws Exception {
        StoreConfig c = TestSupport.smallConfig(dir);
        c.flushMode = StoreConfig.FlushMode.SYNC_FLUSH;
        AtomicLong fsyncs = new AtomicLong();
        DefaultMessageStore store = new DefaultMessageStore(vertx, c, new StoreHooks() {
            @Override
            public void beforeFlush() throws IOException {
                fsyncs.incrementAndGet();
            }
        });
        store.start();
        AtomicBoolean reading = new AtomicBoolean(true);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        List<Thread> threads = new ArrayList<>();
        try {
            for (int q = 0; q < PRODUCERS; q++) {
                int queue = q;
                threads.add(new Thread(() -> {
                    long next = 0;
                    while (reading.get() && failure.get() == null) {
                        GetResult r = store.get("C", queue, next, 16, Integer.MAX_VALUE, MessageFilter.ALL);
                        for (ByteBuffer m : r.messages()) {
                            String body = TestSupport.body(m);
                            if (!body.equals(queue + "-" + next)) {
                                failure.compareAndSet(null, new AssertionError("queue " + queue + " offset " + next
                                        + " holds " + body));
                            }
                            next++;
                        }
                    }
                }));
            }
            List<List<CompletableFuture<PutResult>>> results = new ArrayList<>();
            for (int p = 0; p < PRODUCERS; p++) {
                int queue = p;
                List<CompletableFuture<PutResult>> mine = new ArrayList<>();
                results.add(mine);
                threads.add(new Thread(() -> {
                    for (int i = 0; i < PER_PRODUCER; i++) {
                        mine.add(store.put(message("C", queue, queue + "-" + i)));
                    }
                }));
            }
            threads.forEach(Thread::start);
            for (int t = PRODUCERS; t < threads.size(); t++) {
                threads.get(t).join();
            }
            for (int p = 0; p < PRODUCERS; p++) {
                for (int i = 0; i < PER_PRODUCER; i++) {
                    PutResult r = results.get(p).get(i).join();
                    assertEquals(PutStatus.PUT_OK, r.status());
                    assertEquals(i, r.queueOffset());
                }
                List<String> bodies = TestSupport.drain(store, "C", p);
                assertEquals(PER_PRODUCER, bodies.size());
                assertEquals(p + "-" + (PER_PRODUCER - 1), bodies.get(PER_PRODUCER - 1));
            }
            assertTrue(fsyncs.get() < PRODUCERS * PER_PRODUCER,
                    "group commit: " + fsyncs.get() + " fsyncs for " + PRODUCERS * PER_PRODUCER + " puts");
        } finally {
            reading.set(false);
            for (Thread t : threads) {
                t.join();
            }
            store.shutdown();
        }
        assertNull(failure.get());
    }
}

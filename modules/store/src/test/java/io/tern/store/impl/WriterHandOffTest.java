package io.tern.store.impl;

import io.tern.store.PutResult;
import io.tern.store.PutResult.PutStatus;
import io.tern.store.StoreConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static io.tern.store.impl.TestSupport.message;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The bounded, lock-free hand-off to the writer: a full queue refuses puts, nothing accepted is lost. */
class WriterHandOffTest {
    private static final int CAPACITY = 4;
    private static final int PUTS = CAPACITY * 4;

    @TempDir
    Path dir;

    @Test
    void fullQueueRefusesAndEveryAcceptedPutIsStoredInOrder() throws Exception {
        StoreConfig c = TestSupport.smallConfig(dir);
        c.writeQueueCapacity = CAPACITY;
        CountDownLatch release = new CountDownLatch(1);
        DefaultMessageStore store = new DefaultMessageStore(c, new StoreHooks() {
            @Override
            public void beforeAllocate(long startOffset) throws IOException {
                try {
                    // holds the writer at its first append (it waits for this segment)
                    release.await(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    throw new InterruptedIOException();
                }
            }
        });
        store.start();
        try {
            List<CompletableFuture<PutResult>> results = new ArrayList<>();
            for (int i = 0; i < PUTS; i++) {
                results.add(store.put(message("H", 0, "m" + i)));
            }
            release.countDown();
            int accepted = 0;
            int refused = 0;
            long expectedOffset = 0;
            for (CompletableFuture<PutResult> f : results) {
                PutResult r = f.get(30, TimeUnit.SECONDS);
                if (r.isStored()) {
                    assertEquals(expectedOffset++, r.queueOffset(), "accepted puts keep their order");
                    accepted++;
                } else {
                    assertEquals(PutStatus.SERVICE_NOT_AVAILABLE, r.status());
                    assertTrue(r.remark().startsWith("store busy"), r.remark());
                    refused++;
                }
            }
            // the writer holds at most one drained batch (<= CAPACITY) while the queue holds CAPACITY more
            assertTrue(accepted >= CAPACITY && accepted <= 2 * CAPACITY, "accepted " + accepted);
            assertEquals(PUTS, accepted + refused);
            assertEquals(accepted, store.maxOffsetInQueue("H", 0));
            PutResult after = store.put(message("H", 0, "after")).get(30, TimeUnit.SECONDS);
            assertTrue(after.isStored(), "the queue drains and takes puts again");
        } finally {
            release.countDown();
            store.shutdown();
        }
    }
}

package io.tern.store.impl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tern.common.message.StoredRecordLayout;
import io.tern.store.GetResult;
import io.tern.store.MessageFilter;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A listener told of an arrival sees the record everywhere at once: through its consume queue and by its
 * commit-log offset. A consumer woken from a long poll may send the message back (lookup by offset) before the
 * next record is dispatched.
 */
class ArrivalVisibilityTest extends WithVertx {
    @TempDir
    Path dir;

    @Test
    void arrivedRecordIsVisibleByOffsetWhenListenersHearOfIt() throws Exception {
        DefaultMessageStore store = new DefaultMessageStore(vertx, TestSupport.smallConfig(dir));
        store.start();
        List<String> problems = new CopyOnWriteArrayList<>();
        AtomicInteger heard = new AtomicInteger();
        try {
            store.addArrivalListener((topic, queueId, queueOffset, tagsCode, storeTimestamp) -> {
                GetResult r = store.get(topic, queueId, queueOffset, 1, 1 << 20, MessageFilter.ALL);
                if (r.messages().isEmpty()) {
                    problems.add("queue offset " + queueOffset + ": " + r.status());
                    return;
                }
                ByteBuffer record = r.messages().get(0);
                long physicalOffset = record.getLong(record.position() + StoredRecordLayout.PHYSICAL_OFFSET_OFFSET);
                if (store.messageAt(physicalOffset) == null) {
                    problems.add("commit-log offset " + physicalOffset + " not visible");
                }
                heard.incrementAndGet();
            });
            CompletableFuture<?>[] puts = new CompletableFuture<?>[200];
            for (int i = 0; i < puts.length; i++) {
                puts[i] = store.put(TestSupport.message("Visible", i % 2, "m" + i));
            }
            CompletableFuture.allOf(puts).get(30, TimeUnit.SECONDS);
            TestSupport.await("all arrivals heard", () -> heard.get() + problems.size() == puts.length);
            assertTrue(problems.isEmpty(), "records not yet visible when announced: " + problems);
            assertEquals(puts.length, heard.get());
        } finally {
            store.shutdown();
        }
    }
}

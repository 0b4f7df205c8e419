package io.tern.broker.ha;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tern.store.PutResult;
import io.tern.store.PutResult.PutStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class SyncReplicaWaitersTest {
    private static PutResult stored(long offset, int bytes) {
        return new PutResult(PutStatus.PUT_OK, "", new long[] {offset}, 7, 1L, bytes);
    }

    @Test
    void oneAckCompletesEveryPutItCoversAndNoneBeyond() {
        SyncReplicaWaiters waiters = new SyncReplicaWaiters(60_000);
        List<CompletableFuture<PutResult>> puts = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            puts.add(waiters.await(stored(i * 100L, 100), i * 100L + 100));
        }
        waiters.acked(550);
        for (int i = 0; i < 10; i++) {
            assertEquals(i < 5, puts.get(i).isDone(), "put " + i + " ending at " + (i * 100 + 100));
        }
        assertEquals(PutStatus.PUT_OK, puts.get(4).join().status());
        assertEquals(5, waiters.size());
        waiters.acked(500);
        assertEquals(5, waiters.size(), "an older ack changes nothing");
        waiters.acked(1000);
        assertTrue(puts.stream().allMatch(CompletableFuture::isDone));
        assertSame(PutStatus.PUT_OK, waiters.await(stored(900, 50), 950).join().status(),
                "a put already covered completes at once");
    }

    @Test
    void theSweepAnswersFlushSlaveTimeoutOnlyPastTheDeadline() {
        SyncReplicaWaiters waiters = new SyncReplicaWaiters(1_000);
        CompletableFuture<PutResult> put = waiters.await(stored(0, 100), 100);
        waiters.expire(System.nanoTime());
        assertFalse(put.isDone());
        waiters.expire(System.nanoTime() + 2_000_000_000L);
        PutResult r = put.join();
        assertEquals(PutStatus.FLUSH_SLAVE_TIMEOUT, r.status());
        assertEquals(7, r.queueOffset(), "the timed-out answer still names where the message is stored");
        assertTrue(r.isStored());
        assertEquals(0, waiters.size());
    }
}

package io.tern.store.impl;

import io.tern.store.MessageStore;
import io.tern.store.PutResult;
import io.tern.store.PutResult.PutStatus;
import io.tern.store.StoreConfig;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Kills a real child JVM (SIGKILL) while it is putting, at a random moment, several rounds in a row; after each
 * round every acknowledged message must be readable exactly once at the queue offset it was acknowledged with.
 */
class CrashProcessTest extends WithVertx {
    private static final int ROUNDS = 3;

    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"SYNC_FLUSH", "ASYNC_FLUSH"})
    void everyAcknowledgedMessageSurvivesAKill(String mode) throws Exception {
        Random random = new Random();
        Map<Long, long[]> acked = new ConcurrentHashMap<>();
        long nextId = 0;
        for (int round = 0; round < ROUNDS; round++) {
            long firstId = round * 1_000_000L;
            Process child = new ProcessBuilder(ProcessHandle.current().info().command().orElseThrow(),
                    "-Xmx256m", "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
                    CrashChild.class.getName(), dir.toString(), mode, Long.toString(firstId))
                    .redirectError(dir.resolve("child-" + round + ".err").toFile())
                    .start();
            CountDownLatch ready = new CountDownLatch(1);
            AtomicInteger acks = new AtomicInteger();
            Thread reader = new Thread(() -> {
                try (BufferedReader r = new BufferedReader(new InputStreamReader(child.getInputStream(),
                        StandardCharsets.UTF_8))) {
                    String line;
                    while ((line = r.readLine()) != null) {
                        if (line.equals("READY")) {
                            ready.countDown();
                        } else if (line.startsWith("ACK ")) {
                            String[] p = line.split(" ");
                            acked.put(Long.parseLong(p[1]), new long[]{Long.parseLong(p[2]), Long.parseLong(p[3])});
                            acks.incrementAndGet();
                        }
                    }
                } catch (Exception ignored) {
                    // the pipe breaks when the child dies
                }
            });
            reader.start();
            TestSupport.await("child start", () -> ready.getCount() == 0 || !child.isAlive());
            assertTrue(ready.await(1, TimeUnit.SECONDS), "child did not start: "
                    + Files.readString(dir.resolve("child-" + round + ".err")));
            TestSupport.await("first acks", () -> acks.get() >= 200 || !child.isAlive());
            Thread.sleep(50 + random.nextInt(400));
            child.destroyForcibly();
            child.waitFor();
            reader.join();
            assertTrue(acks.get() > 0);

            DefaultMessageStore store = new DefaultMessageStore(vertx, CrashChild.config(dir.toString(), mode));
            store.start();
            try {
                verify(store, acked);
                for (int i = 0; i < 10; i++) {
                    long id = 900_000 + round * 1_000_000L + i;
                    int q = (int) (id % CrashChild.QUEUES);
                    PutResult r = store.put(TestSupport.message(CrashChild.TOPIC, q, "id-" + id + "-after")).join();
                    assertEquals(PutStatus.PUT_OK, r.status());
                    acked.put(id, new long[]{q, r.queueOffset()});
                }
                verify(store, acked);
            } finally {
                store.shutdown();
            }
        }
    }

    private static void verify(MessageStore store, Map<Long, long[]> acked) {
        Map<Long, List<long[]>> seen = new HashMap<>();
        for (int q = 0; q < CrashChild.QUEUES; q++) {
            long offset = store.minOffsetInQueue(CrashChild.TOPIC, q);
            long max = store.maxOffsetInQueue(CrashChild.TOPIC, q);
            while (offset < max) {
                var res = store.get(CrashChild.TOPIC, q, offset, 32, Integer.MAX_VALUE, null);
                for (ByteBuffer m : res.messages()) {
                    TestSupport.Decoded d = TestSupport.decode(m);
                    long id = Long.parseLong(d.body().split("-")[1]);
                    seen.computeIfAbsent(id, k -> new ArrayList<>()).add(new long[]{q, d.queueOffset()});
                }
                offset = res.nextBeginOffset();
            }
        }
        for (Map.Entry<Long, List<long[]>> e : seen.entrySet()) {
            assertEquals(1, e.getValue().size(), "message " + e.getKey() + " stored more than once");
        }
        for (Map.Entry<Long, long[]> e : acked.entrySet()) {
            List<long[]> found = seen.get(e.getKey());
            assertNotNull(found, "acknowledged message " + e.getKey() + " lost");
            assertEquals(e.getValue()[0], found.get(0)[0], "queue of " + e.getKey());
            assertEquals(e.getValue()[1], found.get(0)[1], "queue offset of " + e.getKey());
        }
    }
}

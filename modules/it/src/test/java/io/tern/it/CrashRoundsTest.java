package io.tern.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.rocketmq.client.consumer.DefaultMQPullConsumer;
import org.apache.rocketmq.client.consumer.PullResult;
import org.apache.rocketmq.client.consumer.PullStatus;
import org.apache.rocketmq.client.producer.DefaultMQProducer;
import org.apache.rocketmq.client.producer.SendResult;
import org.apache.rocketmq.client.producer.SendStatus;
import org.apache.rocketmq.common.message.Message;
import org.apache.rocketmq.common.message.MessageExt;
import org.apache.rocketmq.common.message.MessageQueue;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Crash safety with the official client and a separate broker process (issue 3): producers send without pause,
 * the standalone process is killed with SIGKILL at a random moment, restarted on the same store, five times.
 * Afterwards every message whose send returned SEND_OK is readable exactly once, and the broker takes new sends.
 *
 * <p>Under SYNC_FLUSH an acknowledged record is on disk; under ASYNC_FLUSH it is in the page cache, which survives
 * the death of the process — so both modes must lose nothing. Client retries are off: a retried send could store
 * a message twice behind one SEND_OK, which would blur "exactly once".
 */
class CrashRoundsTest {
    private static final int ROUNDS = 5;
    private static final int PRODUCER_THREADS = 2;

    @TempDir
    Path storeRoot;
    @TempDir
    Path workDir;

    @ParameterizedTest
    @ValueSource(strings = {"SYNC_FLUSH", "ASYNC_FLUSH"})
    void everyAcknowledgedMessageSurvivesRepeatedKillNine(String flushMode) throws Exception {
        int nameServerPort = TernProcess.freePort();
        int brokerPort = TernProcess.freePort();
        Map<String, String> env = TernProcess.standaloneEnv(nameServerPort, brokerPort, storeRoot,
                "TERN_FLUSH_MODE", flushMode);
        // small segments so the rounds also cross commit-log segment boundaries
        List<String> command = TernProcess.fatJarCommand("standalone", "256m",
                List.of("-Dtern.broker.store.commitLogSegmentBytes=1048576"));
        String namesrvAddr = "127.0.0.1:" + nameServerPort;
        String topic = Clients.unique("Crash" + flushMode.charAt(0));
        Set<String> acknowledged = ConcurrentHashMap.newKeySet();

        for (int round = 1; round <= ROUNDS; round++) {
            try (TernProcess tern = TernProcess.start("crash-" + round, command, workDir, env)) {
                tern.awaitLine(TernProcess.READY_MARKER, 120_000);
                int before = acknowledged.size();
                sendUntilKilled(tern, namesrvAddr, topic, "r" + round, acknowledged);
                System.out.printf("%s round %d: %d acknowledged before kill -9 (total %d)%n", flushMode, round,
                        acknowledged.size() - before, acknowledged.size());
            }
        }

        try (TernProcess tern = TernProcess.start("crash-final", command, workDir, env)) {
            tern.awaitLine(TernProcess.READY_MARKER, 120_000);
            DefaultMQProducer producer = Clients.producer(namesrvAddr);
            try {
                producer.start();
                SendResult after = producer.send(message(topic, "after-crashes"));
                assertEquals(SendStatus.SEND_OK, after.getSendStatus(), "the recovered broker takes new sends");
            } finally {
                Clients.shutdown(producer);
            }
            Map<String, Integer> stored = readAll(namesrvAddr, topic);
            List<String> missing = new ArrayList<>();
            List<String> duplicated = new ArrayList<>();
            for (String key : acknowledged) {
                int copies = stored.getOrDefault(key, 0);
                if (copies == 0) {
                    missing.add(key);
                } else if (copies > 1) {
                    duplicated.add(key + "x" + copies);
                }
            }
            assertTrue(acknowledged.size() >= ROUNDS, "each round acknowledged sends: " + acknowledged.size());
            assertTrue(missing.isEmpty(), missing.size() + " acknowledged messages lost: " + head(missing));
            assertTrue(duplicated.isEmpty(), "acknowledged messages stored twice: " + head(duplicated));
            assertEquals(1, stored.getOrDefault("after-crashes", 0), "the post-recovery send is readable");
        }
    }

    /** Producer threads send without pause; the process is killed at a random moment while they do. */
    private static void sendUntilKilled(TernProcess tern, String namesrvAddr, String topic, String round,
                                        Set<String> acknowledged) throws Exception {
        DefaultMQProducer producer = Clients.producer(namesrvAddr);
        producer.setRetryTimesWhenSendFailed(0);
        producer.setSendMsgTimeout(3_000);
        try {
            producer.start();
            // the first send creates the topic (or finds it); only then is the kill moment drawn
            SendResult first = producer.send(message(topic, round + "-first"));
            assertEquals(SendStatus.SEND_OK, first.getSendStatus());
            acknowledged.add(round + "-first");
            KillWhileSending.run(producer, tern, topic, round, PRODUCER_THREADS, CrashRoundsTest::message,
                    acknowledged);
        } finally {
            Clients.shutdown(producer);
        }
    }

    /** Every message of every queue, counted by key, read with plain pulls from offset 0. */
    @SuppressWarnings("deprecation")
    private static Map<String, Integer> readAll(String namesrvAddr, String topic) throws Exception {
        DefaultMQPullConsumer consumer = new DefaultMQPullConsumer(Clients.unique("CrashReader"));
        consumer.setNamesrvAddr(namesrvAddr);
        consumer.setInstanceName(Clients.unique("reader"));
        Map<String, Integer> counts = new HashMap<>();
        try {
            consumer.start();
            for (MessageQueue mq : consumer.fetchSubscribeMessageQueues(topic)) {
                long max = consumer.maxOffset(mq);
                long offset = consumer.minOffset(mq);
                while (offset < max) {
                    PullResult result = consumer.pull(mq, "*", offset, 32, 10_000);
                    assertEquals(PullStatus.FOUND, result.getPullStatus(), mq + " at " + offset + " of " + max);
                    for (MessageExt m : result.getMsgFoundList()) {
                        counts.merge(m.getKeys(), 1, Integer::sum);
                    }
                    offset = result.getNextBeginOffset();
                }
            }
        } finally {
            consumer.shutdown();
        }
        return counts;
    }

    private static Message message(String topic, String key) {
        return new Message(topic, "TagA", key, ("crash-safe " + key).getBytes(StandardCharsets.UTF_8));
    }

    private static String head(List<String> keys) {
        return keys.subList(0, Math.min(10, keys.size())).toString();
    }
}

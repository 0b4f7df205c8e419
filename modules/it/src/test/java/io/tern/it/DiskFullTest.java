package io.tern.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.rocketmq.client.consumer.DefaultMQPushConsumer;
import org.apache.rocketmq.client.exception.MQBrokerException;
import org.apache.rocketmq.client.exception.MQClientException;
import org.apache.rocketmq.client.producer.DefaultMQProducer;
import org.apache.rocketmq.client.producer.SendResult;
import org.apache.rocketmq.client.producer.SendStatus;
import org.apache.rocketmq.common.message.Message;
import org.apache.rocketmq.common.message.MessageExt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A full disk, for real: the broker process's store lives on a 64 MiB tmpfs (mounted by the test, which runs as root
 * like the project's machines and CI), next to a 24 MiB ballast file. The official client sends until the broker
 * refuses with SERVICE_NOT_AVAILABLE (14) and a remark naming the full disk, as RocketMQ does above its disk
 * warning ratio (Tern's diskHardLimitRatio, 90 %). Every acknowledged message then reads back identical; deleting
 * the ballast gives the space back, and sends resume without a restart.
 *
 * <p>Forced deletion of unexpired segments (cleanFileForciblyEnable, RocketMQ's 85 % rule) is switched off: with it
 * the broker would delete its oldest segments before refusing writes, which is retention, not what this test is
 * about.
 */
class DiskFullTest {
    private static final int SERVICE_NOT_AVAILABLE = 14;
    private static final int BODY_BYTES = 16 * 1024;

    @TempDir
    Path workDir;

    @Test
    void aboveTheHardLimitSendsAreRefusedCleanlyNothingIsLostAndSendsResumeWhenSpaceReturns() throws Exception {
        fillTheDisk(List.of(), "disk full");
    }

    /**
     * With the hard limit at 100 % the file system itself runs out: the next commit-log segment cannot be created
     * (or a page of it cannot be mapped), and the answer is the same.
     */
    @Test
    void whenTheFileSystemItselfRunsOutSendsAreRefusedCleanlyNothingIsLostAndSendsResume() throws Exception {
        fillTheDisk(List.of("-Dtern.broker.store.diskHardLimitRatio=100",
                "-Dtern.broker.store.diskMaxUsedSpaceRatio=100"), "No space left on device");
    }

    private void fillTheDisk(List<String> extraOptions, String remarkNames) throws Exception {
        Path mount = Files.createDirectories(workDir.resolve("tmpfs"));
        run(List.of("mount", "-t", "tmpfs", "-o", "size=64m", "tern-disk-full-test", mount.toString()));
        try {
            Path ballast = mount.resolve("ballast");
            try (RandomAccessFile f = new RandomAccessFile(ballast.toFile(), "rw")) {
                byte[] mib = new byte[1 << 20];
                for (int i = 0; i < 24; i++) {
                    f.write(mib);
                }
            }
            runBrokerOn(mount.resolve("store"), ballast, extraOptions, remarkNames);
        } finally {
            run(List.of("umount", "-l", mount.toString()));
        }
    }

    private void runBrokerOn(Path storeRoot, Path ballast, List<String> extraOptions, String remarkNames)
            throws Exception {
        int nameServerPort = TernProcess.freePort();
        int brokerPort = TernProcess.freePort();
        Map<String, String> env = TernProcess.standaloneEnv(nameServerPort, brokerPort, storeRoot);
        List<String> options = new java.util.ArrayList<>(List.of(
                "-Dtern.broker.store.commitLogSegmentBytes=" + (4 << 20),
                "-Dtern.broker.store.maxHashSlotNum=1000",
                "-Dtern.broker.store.maxIndexNum=4000",
                "-Dtern.broker.store.cleanFileForciblyEnable=false",
                "-Dtern.broker.store.diskCheckIntervalMs=200"));
        options.addAll(extraOptions);
        List<String> command = TernProcess.fatJarCommand("standalone", "256m", options);
        String namesrvAddr = "127.0.0.1:" + nameServerPort;
        String topic = Clients.unique("DiskFull");

        try (TernProcess tern = TernProcess.start("tern-disk-full", command, workDir, env)) {
            tern.awaitLine(TernProcess.READY_MARKER, 120_000);
            DefaultMQProducer producer = Clients.producer(namesrvAddr);
            producer.setRetryTimesWhenSendFailed(0);
            // bodies go to the store at full size (the client zips bodies over 4 KiB by default)
            producer.setCompressMsgBodyOverHowmuch(Integer.MAX_VALUE);
            Map<String, String> acknowledged = new LinkedHashMap<>();
            try {
                producer.start();
                MQBrokerException refusal = null;
                for (int i = 0; i < 10_000 && refusal == null; i++) {
                    String key = "k" + i;
                    String body = key + "-" + "d".repeat(BODY_BYTES);
                    try {
                        SendResult r = producer.send(new Message(topic, "TagA", key, body.getBytes(StandardCharsets.UTF_8)));
                        assertEquals(SendStatus.SEND_OK, r.getSendStatus());
                        acknowledged.put(key, body);
                    } catch (MQClientException e) {
                        refusal = refusalIn(e);
                    }
                }
                assertTrue(refusal != null, "the disk never filled: " + acknowledged.size() + " messages stored");
                System.out.println("refused after " + acknowledged.size() + " messages: " + refusal.getErrorMessage());
                assertEquals(SERVICE_NOT_AVAILABLE, refusal.getResponseCode(), refusal.toString());
                assertTrue(refusal.getErrorMessage().startsWith("service not available now")
                        && refusal.getErrorMessage().contains(remarkNames), "the remark names the full disk: " + refusal);
                assertTrue(acknowledged.size() > 100, "sends succeeded before the disk filled");

                MQBrokerException again = sendExpectingRefusal(producer, topic);
                assertEquals(SERVICE_NOT_AVAILABLE, again.getResponseCode(), "still refused while the disk is full");
                assertEquals(acknowledged, consumeAll(namesrvAddr, topic, acknowledged.size()),
                        "every acknowledged message reads back while the disk is full");

                Files.delete(ballast);
                Await.until("sends accepted again after space returned", 60_000, () -> {
                    try {
                        String key = "resumed";
                        producer.send(new Message(topic, "TagA", key, key.getBytes(StandardCharsets.UTF_8)));
                        acknowledged.put(key, key);
                        return true;
                    } catch (MQClientException stillFull) {
                        refusalIn(stillFull);
                        return false;
                    } catch (Exception e) {
                        throw new AssertionError(e);
                    }
                });
                for (int i = 0; i < 20; i++) {
                    String key = "after-" + i;
                    assertEquals(SendStatus.SEND_OK, producer.send(new Message(topic, "TagA", key,
                            key.getBytes(StandardCharsets.UTF_8))).getSendStatus());
                    acknowledged.put(key, key);
                }
            } finally {
                Clients.shutdown(producer);
            }
            assertEquals(acknowledged, consumeAll(namesrvAddr, topic, acknowledged.size()),
                    "every acknowledged message, before and after the full disk");
            assertTrue(tern.isAlive(), "broker process alive");
            assertEquals(143, tern.terminate(60_000), "graceful stop on a store that was full");
        }
    }

    private static MQBrokerException sendExpectingRefusal(DefaultMQProducer producer, String topic) throws Exception {
        try {
            producer.send(new Message(topic, "TagA", "refused", "refused".getBytes(StandardCharsets.UTF_8)));
        } catch (MQClientException e) {
            return refusalIn(e);
        }
        throw new AssertionError("a send was accepted on a full disk");
    }

    /**
     * The broker's answer inside the client's exception: SERVICE_NOT_AVAILABLE is one of the codes the 4.9 producer
     * retries, so after its tries it throws an MQClientException carrying the code, caused by the broker's
     * MQBrokerException with the remark.
     */
    private static MQBrokerException refusalIn(MQClientException e) {
        if (e.getCause() instanceof MQBrokerException broker) {
            return broker;
        }
        throw new AssertionError("send failed without an answer from the broker", e);
    }

    /** Key → body of everything in {@code topic}, read by a new consumer group. */
    private static Map<String, String> consumeAll(String namesrvAddr, String topic, int expected) throws Exception {
        DefaultMQPushConsumer consumer = Clients.pushConsumer(namesrvAddr, Clients.unique("CG"));
        Received received = new Received();
        try {
            consumer.subscribe(topic, "*");
            consumer.registerMessageListener(received);
            consumer.start();
            Await.until(expected + " messages of " + topic, 120_000, () -> received.count() >= expected,
                    () -> "received " + received.count());
            Await.sleep(500);
        } finally {
            Clients.shutdown(consumer);
        }
        Map<String, String> out = new LinkedHashMap<>();
        for (MessageExt m : received.all()) {
            out.put(m.getKeys(), new String(m.getBody(), StandardCharsets.UTF_8));
        }
        return out;
    }

    private static void run(List<String> command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new AssertionError(String.join(" ", command) + " failed (the test mounts a tmpfs and needs root): "
                    + output);
        }
    }
}

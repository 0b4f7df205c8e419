package io.tern.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tern.remoting.protocol.RemotingCommand;
import io.tern.remoting.protocol.RemotingCommandCodec;
import io.tern.remoting.protocol.SerializeType;
import io.vertx.core.buffer.Buffer;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.rocketmq.client.consumer.DefaultMQPushConsumer;
import org.apache.rocketmq.client.producer.DefaultMQProducer;
import org.apache.rocketmq.client.producer.SendResult;
import org.apache.rocketmq.client.producer.SendStatus;
import org.apache.rocketmq.common.message.Message;
import org.apache.rocketmq.common.message.MessageExt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * 10,000 mutated frames over 50 connections to a broker in its own process. The frames are the requests of the
 * spec's captures (official 4.9.7 producer, consumer, transactions and mqadmin: test resources {@code captures/}),
 * re-encoded with either header codec and then damaged: bits flipped, lengths and ints overwritten, bytes inserted,
 * deleted, duplicated, frames cut short. Afterwards the broker process is alive, every event loop answers a
 * heartbeat on fresh connections, the official client sends and consumes, and what was stored before is unchanged:
 * every message reads back identical, and the commit log's bytes up to the end of the last of them are the same.
 */
class MutatedFramesTest {
    private static final int CONNECTIONS = 50;
    private static final int FRAMES = 10_000;
    private static final int HEART_BEAT = 34;
    private static final long SEED = 20261205L;

    @TempDir
    Path storeRoot;
    @TempDir
    Path workDir;

    @Test
    void mutatedCapturedFramesLeaveTheBrokerUpAndTheDataUnchanged() throws Exception {
        int nameServerPort = TernProcess.freePort();
        int brokerPort = TernProcess.freePort();
        Map<String, String> env = TernProcess.standaloneEnv(nameServerPort, brokerPort, storeRoot);
        List<String> command = TernProcess.fatJarCommand("standalone", "512m",
                List.of("-Dtern.broker.store.commitLogSegmentBytes=67108864"));
        String namesrvAddr = "127.0.0.1:" + nameServerPort;
        String topic = Clients.unique("BeforeFuzz");
        List<RemotingCommand> seeds = CapturedRequests.load();
        assertTrue(seeds.size() > 100, "requests parsed from the captures: " + seeds.size());

        try (TernProcess tern = TernProcess.start("tern-fuzzed", command, workDir, env)) {
            tern.awaitLine(TernProcess.READY_MARKER, 120_000);
            DefaultMQProducer producer = Clients.producer(namesrvAddr);
            Map<String, String> before = new LinkedHashMap<>();
            long lastOffset = -1;
            try {
                producer.start();
                for (int i = 0; i < 200; i++) {
                    String key = "before-" + i;
                    String body = key + "-" + "b".repeat(i % 97);
                    SendResult r = producer.send(new Message(topic, "TagA", key, body.getBytes(StandardCharsets.UTF_8)));
                    assertEquals(SendStatus.SEND_OK, r.getSendStatus());
                    before.put(key, body);
                    lastOffset = Math.max(lastOffset, Long.parseLong(r.getOffsetMsgId().substring(16), 16));
                }
            } finally {
                Clients.shutdown(producer);
            }
            byte[] logBefore = commitLogPrefix(lastOffset);

            Outcome outcome = sendMutatedFrames(brokerPort, seeds);
            System.out.println("mutated frames: " + outcome);

            assertTrue(tern.isAlive(), "broker process alive after the mutated frames");
            assertEveryEventLoopAnswersAHeartbeat(brokerPort);
            assertClientWorks(namesrvAddr);
            assertEquals(before, consumeAll(namesrvAddr, topic, before.size()), "messages stored before");
            assertArrayEquals(logBefore, commitLogPrefix(lastOffset), "commit log bytes stored before");
            assertTrue(!tern.printed("OutOfMemoryError") && !tern.printed("StackOverflowError"),
                    "no OutOfMemoryError or StackOverflowError in the broker's output");
        }
    }

    /** What became of the frames: answered, connection closed by the broker, or neither within the wait. */
    record Outcome(int answered, int closedByBroker, int unanswered) {
    }

    /**
     * 50 connections, 200 frames each, one at a time: after each frame the sender waits for an answer, the broker
     * closing the connection, or {@link #ANSWER_WAIT_MS} of silence (a oneway request, a parked pull, or a frame whose
     * length promises more bytes). After a close or silence the stream's state is unknown, so the next frame goes on a
     * new connection: every one of the 10,000 frames is read by the broker from a clean start.
     */
    private static Outcome sendMutatedFrames(int port, List<RemotingCommand> seeds) throws Exception {
        AtomicInteger answered = new AtomicInteger();
        AtomicInteger closed = new AtomicInteger();
        AtomicInteger silent = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(CONNECTIONS);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int c = 0; c < CONNECTIONS; c++) {
                Random random = new Random(SEED + c);
                done.add(pool.submit(() -> {
                    Socket socket = null;
                    try {
                        for (int i = 0; i < FRAMES / CONNECTIONS; i++) {
                            byte[] frame = FrameMutator.mutate(seeds.get(random.nextInt(seeds.size())), random);
                            if (socket == null) {
                                socket = connect(port);
                                socket.setSoTimeout(ANSWER_WAIT_MS);
                            }
                            switch (sendAndAwait(socket, frame)) {
                                case ANSWERED -> answered.incrementAndGet();
                                case CLOSED -> {
                                    closed.incrementAndGet();
                                    socket.close();
                                    socket = null;
                                }
                                default -> {
                                    silent.incrementAndGet();
                                    socket.close();
                                    socket = null;
                                }
                            }
                        }
                    } finally {
                        if (socket != null) {
                            socket.close();
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get(10, TimeUnit.MINUTES);
            }
        } finally {
            pool.shutdownNow();
            pool.awaitTermination(30, TimeUnit.SECONDS);
        }
        Outcome outcome = new Outcome(answered.get(), closed.get(), silent.get());
        assertEquals(FRAMES, outcome.answered() + outcome.closedByBroker() + outcome.unanswered());
        return outcome;
    }

    private static final int ANSWER_WAIT_MS = 300;

    private enum Fate { ANSWERED, CLOSED, SILENT }

    private static Fate sendAndAwait(Socket socket, byte[] frame) {
        try {
            OutputStream out = socket.getOutputStream();
            out.write(frame);
            out.flush();
            DataInputStream in = new DataInputStream(socket.getInputStream());
            int length = in.readInt();
            in.skipNBytes(length);
            return Fate.ANSWERED;
        } catch (java.net.SocketTimeoutException silence) {
            return Fate.SILENT;
        } catch (IOException closedByBroker) {
            return Fate.CLOSED;
        }
    }

    private static Socket connect(int port) throws IOException {
        Socket socket = new Socket();
        socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
        socket.setSoTimeout(30_000);
        return socket;
    }

    /** Heartbeats on more fresh connections than the broker has event loops (connections go round robin). */
    private static void assertEveryEventLoopAnswersAHeartbeat(int port) throws IOException {
        int loops = 2 * Runtime.getRuntime().availableProcessors();
        for (int i = 0; i < 2 * loops; i++) {
            try (Socket socket = connect(port)) {
                String body = "{\"clientID\":\"fuzz-probe-" + i + "\",\"consumerDataSet\":[],"
                        + "\"producerDataSet\":[{\"groupName\":\"FUZZ_PROBE\"}]}";
                RemotingCommand ping = RemotingCommand.request(HEART_BEAT).opaque(900 + i)
                        .body(body.getBytes(StandardCharsets.UTF_8));
                socket.getOutputStream().write(RemotingCommandCodec.encode(ping).getBytes());
                DataInputStream in = new DataInputStream(socket.getInputStream());
                int length = in.readInt();
                byte[] frame = new byte[length];
                in.readFully(frame);
                RemotingCommand answer = RemotingCommandCodec.decode(Buffer.buffer(frame));
                assertEquals(900 + i, answer.opaque(), "heartbeat answered on probe connection " + i);
                assertEquals(0, answer.code(), "heartbeat succeeded: " + answer.remark());
            }
        }
    }

    private static void assertClientWorks(String namesrvAddr) throws Exception {
        String topic = Clients.unique("AfterFuzz");
        DefaultMQProducer producer = Clients.producer(namesrvAddr);
        try {
            producer.start();
            assertEquals(SendStatus.SEND_OK, producer.send(new Message(topic, "TagA", "after", "after".getBytes()))
                    .getSendStatus());
        } finally {
            Clients.shutdown(producer);
        }
        assertEquals(Map.of("after", "after"), consumeAll(namesrvAddr, topic, 1));
    }

    /** Key → body of everything in {@code topic}, read by a new consumer group. */
    private static Map<String, String> consumeAll(String namesrvAddr, String topic, int expected) throws Exception {
        DefaultMQPushConsumer consumer = Clients.pushConsumer(namesrvAddr, Clients.unique("CG"));
        Received received = new Received();
        try {
            consumer.subscribe(topic, "*");
            consumer.registerMessageListener(received);
            consumer.start();
            Await.until(expected + " messages of " + topic, 60_000, () -> received.count() >= expected,
                    () -> "received " + received.count());
            Await.sleep(500);
        } finally {
            Clients.shutdown(consumer);
        }
        Map<String, String> out = new HashMap<>();
        for (MessageExt m : received.all()) {
            out.put(m.getKeys(), new String(m.getBody(), StandardCharsets.UTF_8));
        }
        return out;
    }

    /** The commit log's bytes up to the end of the record at {@code lastOffset}. */
    private byte[] commitLogPrefix(long lastOffset) throws IOException {
        byte[] segment = Files.readAllBytes(storeRoot.resolve("commitlog").resolve("00000000000000000000"));
        int end = (int) lastOffset + ByteBuffer.wrap(segment).getInt((int) lastOffset);
        return java.util.Arrays.copyOf(segment, end);
    }

    /** The requests of the spec's captures, as commands (header fields, ext fields, body). */
    static final class CapturedRequests {
        private static final Pattern CODE = Pattern.compile("\\bcode=(\\d+)");
        private static final Pattern FLAG = Pattern.compile("\\bflag=(\\d+)");
        private static final Pattern EXT = Pattern.compile("\\bext=\\{(.*?)\\} body=");
        private static final Pattern BODY = Pattern.compile(" body=(.*)$");

        static List<RemotingCommand> load() throws IOException {
            List<RemotingCommand> out = new ArrayList<>();
            for (String name : List.of("4.9.7-producer-consumer-basic.log", "4.9.7-batch-compress-delay-tx-retry.log",
                    "4.9.7-mqadmin.log")) {
                try (InputStream in = MutatedFramesTest.class.getResourceAsStream("/captures/" + name)) {
                    for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                        if (line.contains(" REQ ") || line.trim().startsWith(">>")) {
                            out.add(parse(line));
                        }
                    }
                }
            }
            return out;
        }

        private static RemotingCommand parse(String line) {
            Matcher code = CODE.matcher(line);
            if (!code.find()) {
                throw new IllegalArgumentException("no code in " + line);
            }
            RemotingCommand cmd = RemotingCommand.request(Integer.parseInt(code.group(1)));
            Matcher flag = FLAG.matcher(line);
            if (flag.find()) {
                cmd.flag(Integer.parseInt(flag.group(1)));
            }
            Matcher ext = EXT.matcher(line);
            if (ext.find()) {
                Map<String, String> fields = new HashMap<>();
                for (String pair : ext.group(1).split(", ")) {
                    int eq = pair.indexOf('=');
                    if (eq > 0) {
                        fields.put(pair.substring(0, eq), unescape(pair.substring(eq + 1)));
                    }
                }
                cmd.extFields(fields);
            }
            Matcher body = BODY.matcher(line);
            if (body.find() && !body.group(1).equals("-")) {
                String b = body.group(1);
                cmd.body(b.startsWith("len=") ? "x".repeat(Integer.parseInt(b.substring(4).trim())).getBytes()
                        : unescape(b).getBytes(StandardCharsets.UTF_8));
            }
            return cmd;
        }

        /** The captures print the property separators 1 and 2 as "\1" and "\2". */
        private static String unescape(String s) {
            return s.replace("\\1", "\u0001").replace("\\2", "\u0002");
        }
    }

    /** Re-encodes a captured request with a random header codec and damages the frame's bytes. */
    static final class FrameMutator {
        private static final int[] INTERESTING = {0, -1, 1, 4, 5, Integer.MAX_VALUE, Integer.MIN_VALUE,
            RemotingCommandCodec.MAX_FRAME_BYTES, RemotingCommandCodec.MAX_FRAME_BYTES + 1, 0xFFFF, 0x8000, 0x01000000};

        static byte[] mutate(RemotingCommand seed, Random random) {
            RemotingCommand cmd = RemotingCommand.request(seed.code()).flag(seed.flag()).opaque(random.nextInt())
                    .serializeType(random.nextBoolean() ? SerializeType.JSON : SerializeType.ROCKETMQ);
            if (seed.extFields() != null) {
                cmd.extFields(new HashMap<>(seed.extFields()));
            }
            if (seed.bodyBytes() != null) {
                cmd.body(seed.bodyBytes());
            }
            byte[] b = RemotingCommandCodec.encode(cmd).getBytes();
            int rounds = 1 + random.nextInt(4);
            for (int r = 0; r < rounds; r++) {
                b = mutateOnce(b, random);
            }
            return b;
        }

        private static byte[] mutateOnce(byte[] in, Random random) {
            if (in.length < 8) {
                return in;
            }
            byte[] out = in.clone();
            int at = random.nextInt(in.length);
            switch (random.nextInt(7)) {
                case 0 -> out[at] ^= (byte) (1 << random.nextInt(8));
                case 1 -> out[at] = (byte) random.nextInt(256);
                case 2 -> ByteBuffer.wrap(out).putInt(Math.min(at, in.length - 4),
                        INTERESTING[random.nextInt(INTERESTING.length)]);
                case 3 -> {
                    // the frame cut short: the next frame on the connection completes it
                    out = java.util.Arrays.copyOf(in, Math.max(4, at));
                }
                case 4 -> {
                    byte[] extra = new byte[1 + random.nextInt(16)];
                    random.nextBytes(extra);
                    out = new byte[in.length + extra.length];
                    System.arraycopy(in, 0, out, 0, at);
                    System.arraycopy(extra, 0, out, at, extra.length);
                    System.arraycopy(in, at, out, at + extra.length, in.length - at);
                }
                case 5 -> {
                    int n = Math.min(1 + random.nextInt(32), in.length - at);
                    out = new byte[in.length - n];
                    System.arraycopy(in, 0, out, 0, at);
                    System.arraycopy(in, at + n, out, at, in.length - at - n);
                }
                default -> {
                    // a header field's value grown in place, lengths left as they were
                    int n = Math.min(1 + random.nextInt(64), in.length - at);
                    byte[] dup = java.util.Arrays.copyOfRange(in, at, at + n);
                    out = new byte[in.length + n];
                    System.arraycopy(in, 0, out, 0, at + n);
                    System.arraycopy(dup, 0, out, at + n, n);
                    System.arraycopy(in, at + n, out, at + 2 * n, in.length - at - n);
                }
            }
            return out;
        }
    }
}

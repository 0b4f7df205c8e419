package io.tern.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tern.server.EmbeddedTern;
import io.tern.server.EmbeddedTernOptions;
import io.tern.store.ReplicaLog;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.rocketmq.client.producer.DefaultMQProducer;
import org.apache.rocketmq.client.producer.SendResult;
import org.apache.rocketmq.client.producer.SendStatus;
import org.apache.rocketmq.common.message.Message;
import org.apache.rocketmq.common.message.MessageDecoder;
import org.apache.rocketmq.remoting.netty.NettyClientConfig;
import org.apache.rocketmq.remoting.netty.NettyRemotingClient;
import org.apache.rocketmq.remoting.protocol.RemotingCommand;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Replication lag in bytes and messages on every surface: /api/broker, /metrics, GET_BROKER_HA_STATUS (sent by the
 * official 4.9.8 remoting client) and the console panel's script. A master (in one JVM, real sockets and files)
 * has a real slave that caught up (lag 0) and a second replication peer that handshakes at the start of a chosen
 * message and then acknowledges nothing further, so its lag is exact: the messages from that one on.
 */
class ReplicationLagTest {
    private static final int MASTER = 0;
    private static final int SLAVE = 1;
    private static final long PEER_ID = 2;
    private static final int MESSAGES = 400;
    private static final int HELD_AT = 150;

    @TempDir
    Path storeRoot;

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void lagInBytesAndMessagesIsShownForEachSlave() throws Exception {
        try (EmbeddedTern tern = EmbeddedTern.start(new EmbeddedTernOptions(storeRoot).slaves(1).httpPort(0))) {
            String topic = Clients.unique("Lag");
            long[] offsets = new long[MESSAGES];
            DefaultMQProducer producer = Clients.producer(tern.namesrvAddr());
            try {
                producer.start();
                for (int i = 0; i < MESSAGES; i++) {
                    SendResult r = producer.send(new Message(topic, "TagA", "k" + i,
                            ("m" + i + "-" + "x".repeat(i % 90)).getBytes(StandardCharsets.UTF_8)));
                    assertEquals(SendStatus.SEND_OK, r.getSendStatus());
                    offsets[i] = MessageDecoder.decodeMessageId(r.getOffsetMsgId()).getOffset();
                }
            } finally {
                Clients.shutdown(producer);
            }
            ReplicaLog master = tern.broker(MASTER).components().store().replicaLog();
            long end = master.maxOffset();
            long heldAt = offsets[HELD_AT];
            long expectedLagMessages = MESSAGES - HELD_AT;
            Await.until("the slave acknowledged the master's end", 60_000,
                    () -> slaveEntry(tern, SLAVE) != null && slaveEntry(tern, SLAVE).getLong("ackedOffset") == end,
                    () -> tern.broker(MASTER).components().replication().status().encode());

            int haPort = tern.broker(MASTER).components().replication().haPort();
            try (HeldBackPeer peer = HeldBackPeer.connect(haPort, PEER_ID, heldAt, master.segmentBytes())) {
                Await.until("the held-back peer listed", 30_000, () -> slaveEntry(tern, PEER_ID) != null
                        && slaveEntry(tern, PEER_ID).getBoolean("streaming"));

                // /api/broker
                JsonObject replication = new JsonObject(get(tern, MASTER, "/api/broker")).getJsonObject("replication");
                assertEquals("ASYNC_MASTER", replication.getString("role"));
                JsonObject slave = entry(replication.getJsonArray("slaves"), SLAVE);
                assertEquals(end, slave.getLong("ackedOffset"));
                assertEquals(0, slave.getLong("lagBytes"));
                assertEquals(0, slave.getLong("lagMessages"));
                JsonObject held = entry(replication.getJsonArray("slaves"), PEER_ID);
                assertEquals(heldAt, held.getLong("ackedOffset"));
                assertEquals(end - heldAt, held.getLong("lagBytes"));
                assertEquals(expectedLagMessages, held.getLong("lagMessages"));

                // /metrics
                String metrics = get(tern, MASTER, "/metrics");
                assertEquals(expectedLagMessages, metric(metrics, "tern_replication_lag_messages", null));
                assertEquals(end - heldAt, metric(metrics, "tern_replication_lag_bytes", null));
                assertEquals(expectedLagMessages, metric(metrics, "tern_replication_slave_lag_messages", "2"));
                assertEquals(0, metric(metrics, "tern_replication_slave_lag_messages", "1"));
                assertEquals(heldAt, metric(metrics, "tern_replication_slave_acked_offset", "2"));
                assertEquals(end, metric(metrics, "tern_replication_slave_acked_offset", "1"));
                assertEquals(end - heldAt, metric(metrics, "tern_replication_slave_lag_bytes", "2"));

                // GET_BROKER_HA_STATUS over the official client's remoting
                JsonObject masterHa = haStatus(tern.brokerAddr(MASTER));
                assertTrue(masterHa.getBoolean("master"));
                assertEquals("ASYNC_MASTER", masterHa.getString("brokerRole"));
                assertEquals(end, masterHa.getLong("masterCommitLogMaxOffset"));
                assertEquals(2, masterHa.getInteger("inSyncSlaveNums"));
                JsonObject heldHa = entry(masterHa.getJsonArray("haConnectionInfo"), PEER_ID);
                assertEquals(heldAt, heldHa.getLong("slaveAckOffset"));
                assertEquals(end - heldAt, heldHa.getLong("diff"));
                assertEquals(expectedLagMessages, heldHa.getLong("diffMessages"));
                JsonObject slaveHa = haStatus(tern.brokerAddr(SLAVE));
                assertFalse(slaveHa.getBoolean("master"));
                assertEquals("SLAVE", slaveHa.getString("brokerRole"));
                JsonObject client = slaveHa.getJsonObject("haClientRuntimeInfo");
                assertEquals("127.0.0.1:" + haPort, client.getString("masterAddr"));
                assertEquals(end, client.getLong("maxOffset"));
                assertEquals(0, client.getLong("diff"));

                // the console panel reads only fields the API has
                assertTrue(get(tern, MASTER, "/").contains("console-replication.js"));
                String script = get(tern, MASTER, "/console-replication.js");
                JsonObject slaveSide = new JsonObject(get(tern, SLAVE, "/api/broker")).getJsonObject("replication");
                for (String field : fieldsRead(script, "r")) {
                    assertTrue(replication.containsKey(field) || slaveSide.containsKey(field),
                            "the panel reads replication." + field);
                }
                for (String field : fieldsRead(script, "s")) {
                    assertTrue(held.containsKey(field), "the panel reads slaves[]." + field);
                }
            }
            Await.until("the peer gone, the lag drained", 30_000,
                    () -> tern.broker(MASTER).components().replication().slaves().size() == 1);
            String metrics = get(tern, MASTER, "/metrics");
            assertEquals(0, metric(metrics, "tern_replication_lag_messages", null));
            assertEquals(-1, metric(metrics, "tern_replication_slave_lag_messages", "2"), "its series is gone");
        }
    }

    private static JsonObject slaveEntry(EmbeddedTern tern, long brokerId) {
        return entry(tern.broker(MASTER).components().replication().status().getJsonArray("slaves"), brokerId);
    }

    private static JsonObject entry(JsonArray slaves, long brokerId) {
        for (int i = 0; i < slaves.size(); i++) {
            if (slaves.getJsonObject(i).getLong("brokerId") == brokerId) {
                return slaves.getJsonObject(i);
            }
        }
        return null;
    }

    private String get(EmbeddedTern tern, int broker, String path) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + tern.broker(broker).httpPort() + path)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), path);
        return r.body();
    }

    /** A sample's value (exact for integers below 2^53), or -1 when the series is absent. */
    private static long metric(String text, String name, String slave) {
        String labels = slave == null ? "(\\{[^}]*\\})?" : "\\{[^}]*slave=\"" + slave + "\"[^}]*\\}";
        Matcher m = Pattern.compile("(?m)^" + name + labels + " (\\S+)$").matcher(text);
        if (!m.find()) {
            return -1;
        }
        return (long) Double.parseDouble(m.group(m.groupCount()));
    }

    private static JsonObject haStatus(String brokerAddr) throws Exception {
        NettyRemotingClient client = new NettyRemotingClient(new NettyClientConfig());
        client.start();
        try {
            RemotingCommand response = client.invokeSync(brokerAddr, RemotingCommand.createRequestCommand(907, null),
                    10_000);
            assertEquals(0, response.getCode(), String.valueOf(response.getRemark()));
            assertNotNull(response.getBody());
            return new JsonObject(new String(response.getBody(), StandardCharsets.UTF_8));
        } finally {
            client.shutdown();
        }
    }

    private static Set<String> fieldsRead(String script, String variable) {
        Set<String> out = new HashSet<>();
        Matcher m = Pattern.compile("\\b" + variable + "\\.(\\w+)").matcher(script);
        while (m.find()) {
            out.add(m.group(1));
        }
        assertFalse(out.isEmpty(), "the panel reads " + variable + ".*");
        return out;
    }

    /**
     * A replication peer speaking Tern's HA protocol (src-docs/ha.md) over a real socket: HELLO at {@code heldAt}
     * (no tail check), then it only repeats ACK(heldAt) and discards the streamed bytes, so the master sees a slave
     * that stays exactly there.
     */
    private static final class HeldBackPeer implements AutoCloseable {
        private final Socket socket;
        private final Thread worker;

        private HeldBackPeer(Socket socket, Thread worker) {
            this.socket = socket;
            this.worker = worker;
        }

        static HeldBackPeer connect(int haPort, long brokerId, long heldAt, int segmentBytes) throws IOException {
            Socket socket = new Socket();
            socket.connect(new InetSocketAddress("127.0.0.1", haPort), 5_000);
            DataOutputStream out = new DataOutputStream(socket.getOutputStream());
            out.writeInt(1 + 28);
            out.writeByte(1); // HELLO
            out.writeLong(brokerId);
            out.writeLong(heldAt);
            out.writeInt(segmentBytes);
            out.writeInt(0);
            out.writeInt(0);
            out.flush();
            DataInputStream in = new DataInputStream(socket.getInputStream());
            int length = in.readInt();
            assertEquals(11, in.readByte(), "START");
            assertEquals(9, length);
            assertEquals(heldAt, in.readLong(), "the master starts where the peer is");
            Thread reader = new Thread(() -> drain(in), "held-back-peer-reader");
            Thread acks = new Thread(() -> ackEvery500Ms(out, heldAt), "held-back-peer-acks");
            reader.setDaemon(true);
            acks.setDaemon(true);
            reader.start();
            acks.start();
            return new HeldBackPeer(socket, acks);
        }

        private static void drain(InputStream in) {
            byte[] sink = new byte[64 * 1024];
            try {
                while (in.read(sink) >= 0) {
                    // the peer stays where it is: the streamed bytes are dropped
                }
            } catch (IOException closed) {
                // closed by the test
            }
        }

        private static void ackEvery500Ms(DataOutputStream out, long heldAt) {
            try {
                while (!Thread.currentThread().isInterrupted()) {
                    synchronized (out) {
                        out.writeInt(1 + 8);
                        out.writeByte(2); // ACK
                        out.writeLong(heldAt);
                        out.flush();
                    }
                    Thread.sleep(500);
                }
            } catch (IOException | InterruptedException closed) {
                // closed by the test
            }
        }

        @Override
        public void close() throws IOException {
            worker.interrupt();
            socket.close();
        }
    }
}

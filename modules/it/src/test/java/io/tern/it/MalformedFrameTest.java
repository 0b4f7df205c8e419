package io.tern.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.apache.rocketmq.client.consumer.DefaultMQPushConsumer;
import org.apache.rocketmq.client.producer.DefaultMQProducer;
import org.apache.rocketmq.client.producer.SendStatus;
import org.apache.rocketmq.common.message.Message;
import org.junit.jupiter.api.Test;

/**
 * Malformed frames on raw sockets (spec 1.2: length | headerInfo | header | body) leave broker and nameserver up:
 * the bad connection is closed (or answered with an error), and the official client works right after.
 */
class MalformedFrameTest extends EmbeddedTernTestBase {
    private static final int REQUEST_CODE_NOT_SUPPORTED = 3;

    @Test
    void malformedFramesLeaveTheServersUp() throws Exception {
        for (String addr : new String[] {tern.brokerAddr(), tern.namesrvAddr()}) {
            assertClosedOrAnswered(addr, "length below 4", frame(2, 0, new byte[0], new byte[0]));
            assertClosedOrAnswered(addr, "negative length", frame(-5, 0, new byte[0], new byte[0]));
            assertClosedOrAnswered(addr, "header length past the frame",
                    frame(4 + 10, 1000, new byte[10], new byte[0]));
            byte[] garbage = "{\"code\": 10, this is not json".getBytes(StandardCharsets.UTF_8);
            assertClosedOrAnswered(addr, "garbage JSON", frame(4 + garbage.length, garbage.length, garbage, new byte[0]));
            assertClosedOrAnswered(addr, "unknown serialize type",
                    frame(4 + 3, (7 << 24) | 3, new byte[] {1, 2, 3}, new byte[0]));
            assertClosedOrAnswered(addr, "1 GB length", frame(1 << 30, 20, new byte[20], new byte[0]));
            assertClosedOrAnswered(addr, "truncated frame then close", frame(100, 20, new byte[20], new byte[0]));
            assertUnknownCodeAnswered(addr);
        }
        assertClientStillWorks();
    }

    /** Writes the bytes, then expects the peer to close the connection or to answer with a response frame. */
    private static void assertClosedOrAnswered(String addr, String what, byte[] bytes) throws IOException {
        try (Socket socket = connect(addr)) {
            OutputStream out = socket.getOutputStream();
            try {
                out.write(bytes);
                out.flush();
                if (what.startsWith("truncated")) {
                    socket.shutdownOutput();
                }
            } catch (IOException alreadyClosed) {
                return;
            }
            DataInputStream in = new DataInputStream(socket.getInputStream());
            try {
                int first = in.read();
                if (first == -1) {
                    return; // closed: fine
                }
                // an error response instead of a close is fine as well, as long as it is a well-formed response
                int length = (first << 24) | (in.readUnsignedByte() << 16) | (in.readUnsignedShort());
                JsonObject header = readHeader(in, length);
                assertTrue((header.getInteger("flag", 0) & 1) == 1, what + ": answered with a response " + header);
                assertTrue(header.getInteger("code") != 0, what + ": answered with an error " + header);
            } catch (SocketTimeoutException stillOpen) {
                if (!what.startsWith("truncated")) {
                    throw new AssertionError(what + " on " + addr + ": connection neither closed nor answered");
                }
            } catch (IOException reset) {
                // connection reset: closed
            }
        }
    }

    private static void assertUnknownCodeAnswered(String addr) throws IOException {
        byte[] header = new JsonObject().put("code", 99_999).put("flag", 0).put("language", "JAVA")
                .put("opaque", 4242).put("serializeTypeCurrentRPC", "JSON").put("version", 407)
                .put("extFields", new JsonObject()).encode().getBytes(StandardCharsets.UTF_8);
        try (Socket socket = connect(addr)) {
            socket.getOutputStream().write(frame(4 + header.length, header.length, header, new byte[0]));
            DataInputStream in = new DataInputStream(socket.getInputStream());
            JsonObject response = readHeader(in, in.readInt());
            assertEquals(REQUEST_CODE_NOT_SUPPORTED, response.getInteger("code"), "unknown code on " + addr + ": " + response);
            assertEquals(4242, response.getInteger("opaque"));
            assertEquals(1, response.getInteger("flag") & 1, "response flag");
        }
    }

    private static JsonObject readHeader(DataInputStream in, int length) throws IOException {
        int headerInfo = in.readInt();
        int headerLength = headerInfo & 0xFFFFFF;
        assertEquals(0, headerInfo >>> 24, "JSON header codec");
        byte[] header = new byte[headerLength];
        in.readFully(header);
        in.skipNBytes(length - 4 - headerLength);
        return new JsonObject(new String(header, StandardCharsets.UTF_8));
    }

    private static byte[] frame(int length, int headerInfo, byte[] header, byte[] body) {
        ByteBuffer buffer = ByteBuffer.allocate(8 + header.length + body.length);
        buffer.putInt(length).putInt(headerInfo).put(header).put(body);
        return buffer.array();
    }

    private static Socket connect(String addr) throws IOException {
        String[] hostPort = addr.split(":");
        Socket socket = new Socket();
        socket.connect(new InetSocketAddress(hostPort[0], Integer.parseInt(hostPort[1])), 3_000);
        socket.setSoTimeout(5_000);
        return socket;
    }

    private static void assertClientStillWorks() throws Exception {
        String topic = Clients.unique("AfterGarbage");
        DefaultMQProducer producer = Clients.producer(tern.namesrvAddr());
        DefaultMQPushConsumer consumer = Clients.pushConsumer(tern.namesrvAddr(), Clients.unique("CG"));
        Received received = new Received();
        try {
            producer.start();
            assertEquals(SendStatus.SEND_OK, producer.send(new Message(topic, "TagA", "k", "still up".getBytes()))
                    .getSendStatus());
            consumer.subscribe(topic, "*");
            consumer.registerMessageListener(received);
            consumer.start();
            Await.until("the message sent after the garbage", 60_000, () -> received.count() == 1);
        } finally {
            Clients.shutdown(consumer, producer);
        }
    }
}

package io.tern.remoting.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.Unpooled;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.buffer.BufferInternal;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

class RemotingCommandCodecTest {

    private static RemotingCommand roundTrip(RemotingCommand cmd) {
        Buffer frame = RemotingCommandCodec.encode(cmd);
        assertEquals(frame.length() - 4, frame.getInt(0), "length prefix counts the bytes after it");
        return RemotingCommandCodec.decode(frame.slice(4, frame.length()));
    }

    @Test
    void jsonRoundTripKeepsEveryField() {
        RemotingCommand cmd = RemotingCommand.request(310).opaque(42).remark("a \"quoted\" remark\n")
                .put("a", "PG").put("i", "KEYS\u0001k1\u0002TAGS\u0001T").body("hello".getBytes());
        RemotingCommand back = roundTrip(cmd);
        assertEquals(310, back.code());
        assertEquals(42, back.opaque());
        assertEquals("a \"quoted\" remark\n", back.remark());
        assertEquals("KEYS\u0001k1\u0002TAGS\u0001T", back.ext("i"));
        assertEquals("hello", back.body().toString());
        assertEquals(SerializeType.JSON, back.serializeType());
    }

    @Test
    void binaryRoundTripKeepsEveryField() {
        RemotingCommand cmd = RemotingCommand.request(105).opaque(7).put("topic", "TopicTest")
                .serializeType(SerializeType.ROCKETMQ);
        RemotingCommand back = roundTrip(cmd);
        assertEquals(105, back.code());
        assertEquals(7, back.opaque());
        assertEquals("TopicTest", back.ext("topic"));
        assertNull(back.body());
        assertEquals(SerializeType.ROCKETMQ, back.serializeType());
    }

    /** Pull responses: a large body of direct views gets a direct header, so Netty writes the frame without a copy. */
    @Test
    void largeDirectBodyMakesAnAllDirectFrameWithTheSameBytes() {
        byte[] bytes = new byte[RemotingCommandCodec.DIRECT_HEADER_MIN_BODY_BYTES + 100];
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] = (byte) (i * 31);
        }
        ByteBuffer first = ByteBuffer.allocateDirect(1000).put(bytes, 0, 1000).flip();
        ByteBuffer rest = ByteBuffer.allocateDirect(bytes.length - 1000)
                .put(bytes, 1000, bytes.length - 1000).flip();
        Buffer directBody = BufferInternal.buffer(Unpooled.wrappedBuffer(first, rest));
        RemotingCommand direct = RemotingCommand.request(11).opaque(9).flag(RemotingCommand.FLAG_RESPONSE)
                .put("nextBeginOffset", "32").body(directBody);
        RemotingCommand heap = RemotingCommand.request(11).opaque(9).flag(RemotingCommand.FLAG_RESPONSE)
                .put("nextBeginOffset", "32").body(bytes);

        Buffer directFrame = RemotingCommandCodec.encode(direct);
        Buffer heapFrame = RemotingCommandCodec.encode(heap);
        assertTrue(((BufferInternal) directFrame).getByteBuf().isDirect(),
                "every part of the frame is direct");
        assertEquals(heapFrame, directFrame, "same bytes on the wire");
        RemotingCommand back = RemotingCommandCodec.decode(directFrame.slice(4, directFrame.length()));
        assertEquals("32", back.ext("nextBeginOffset"));
        assertEquals(Buffer.buffer(bytes), back.body());
    }

    @Test
    void decodesTheCapturedBinaryRequest() {
        // spec 1.5: GET_ROUTEINFO_BY_TOPIC as encoded by the 4.9.7 library
        byte[] frame = HexFormat.of().parseHex("0000002d010000290069000000000000070000000000000000000000140005"
                + "746f70696300000009546f70696354657374");
        RemotingCommand cmd = RemotingCommandCodec.decode(Buffer.buffer(frame).slice(4, frame.length));
        assertEquals(105, cmd.code());
        assertEquals(7, cmd.opaque());
        assertEquals("TopicTest", cmd.ext("topic"));
    }

    @Test
    void decodesTheCapturedJsonRequestAndIgnoresUnknownKeys() {
        String header = "{\"code\":105,\"extFields\":{\"topic\":\"TopicTest\",\"n\":5},\"flag\":0,\"language\":\"NODE_JS\","
                + "\"opaque\":7,\"serializeTypeCurrentRPC\":\"JSON\",\"version\":0,\"whatever\":[1,2]}";
        byte[] h = header.getBytes(StandardCharsets.UTF_8);
        Buffer frame = Buffer.buffer().appendInt(h.length).appendBytes(h);
        RemotingCommand cmd = RemotingCommandCodec.decode(frame);
        assertEquals("TopicTest", cmd.ext("topic"));
        assertEquals("5", cmd.ext("n"));
        assertEquals("NODE_JS", cmd.language());
    }

    @Test
    void rejectsHeaderPastFrameAndGarbage() {
        Buffer pastFrame = Buffer.buffer().appendInt(1000).appendBytes(new byte[10]);
        assertThrows(FrameTooLargeException.class, () -> RemotingCommandCodec.decode(pastFrame));
        byte[] garbage = "{not json".getBytes(StandardCharsets.UTF_8);
        Buffer bad = Buffer.buffer().appendInt(garbage.length).appendBytes(garbage);
        assertThrows(FrameTooLargeException.class, () -> RemotingCommandCodec.decode(bad));
        Buffer badType = Buffer.buffer().appendInt((7 << 24) | 2).appendBytes(new byte[2]);
        assertThrows(FrameTooLargeException.class, () -> RemotingCommandCodec.decode(badType));
    }

    @Test
    void frameDecoderReassemblesSplitFramesAndRejectsHugeLengths() {
        List<RemotingCommand> got = new ArrayList<>();
        FrameDecoder decoder = new FrameDecoder(f -> got.add(RemotingCommandCodec.decode(f)));
        Buffer a = RemotingCommandCodec.encode(RemotingCommand.request(1).opaque(1).body(new byte[5000]));
        Buffer b = RemotingCommandCodec.encode(RemotingCommand.request(2).opaque(2));
        Buffer stream = Buffer.buffer().appendBuffer(a).appendBuffer(b);
        for (int i = 0; i < stream.length(); i += 7) {
            decoder.feed(stream.slice(i, Math.min(stream.length(), i + 7)).copy());
        }
        assertEquals(2, got.size());
        assertEquals(5000, got.get(0).body().length());
        assertEquals(2, got.get(1).opaque());
        FrameDecoder huge = new FrameDecoder(f -> { });
        assertThrows(FrameTooLargeException.class, () -> huge.feed(Buffer.buffer().appendInt(1 << 30)));
        assertTrue(RemotingCommandCodec.MAX_FRAME_BYTES == 16 * 1024 * 1024);
    }
}

package io.tern.remoting.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.PoolArenaMetric;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.buffer.BufferInternal;
import java.nio.ByteBuffer;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The frame a connection writes ({@link RemotingCommandCodec#encode(RemotingCommand, io.netty.buffer.ByteBufAllocator)}):
 * the same bytes as the Vert.x buffer encoding, all direct, owned by the writer (released once written) without the
 * body being released with it.
 */
class DirectFrameTest {
    private final PooledByteBufAllocator alloc = new PooledByteBufAllocator(true, 1, 1, 8192, 9, 0, 0, false);

    @Test
    void everyKindOfFrameHasTheBufferEncodingsBytesInDirectMemory() {
        byte[] small = pattern(3_000);
        byte[] large = pattern(40_000);
        List<RemotingCommand> commands = List.of(
                RemotingCommand.request(105).opaque(1).put("topic", "T"),
                RemotingCommand.request(105).opaque(2).put("topic", "T").serializeType(SerializeType.ROCKETMQ),
                RemotingCommand.request(11).opaque(3).put("nextBeginOffset", "1").body(small),
                RemotingCommand.request(11).opaque(4).put("nextBeginOffset", "2").body(directViews(small)),
                RemotingCommand.request(11).opaque(5).put("nextBeginOffset", "3").body(directViews(large)),
                RemotingCommand.request(11).opaque(6).put("nextBeginOffset", "4").body(large),
                RemotingCommand.request(11).opaque(7).put("k", "v").serializeType(SerializeType.ROCKETMQ)
                        .body(directViews(large)));
        for (RemotingCommand cmd : commands) {
            byte[] expected = RemotingCommandCodec.encode(cmd).getBytes();
            ByteBuf frame = RemotingCommandCodec.encode(cmd, alloc);
            try {
                assertTrue(frame.isDirect(), "opaque " + cmd.opaque() + ": Netty writes it without a copy");
                assertEquals(Buffer.buffer(expected), Buffer.buffer(ByteBufUtil.getBytes(frame)),
                        "opaque " + cmd.opaque());
            } finally {
                frame.release();
            }
        }
        assertEquals(0, activeDirectAllocations(), "every pooled buffer of the frames went back");
    }

    @Test
    void aLargeDirectBodyIsWrittenUncopiedAndOutlivesItsFrame() {
        byte[] bytes = pattern(64 * 1024);
        Buffer body = directViews(bytes);
        RemotingCommand cmd = RemotingCommand.request(11).opaque(9).put("nextBeginOffset", "32").body(body);
        ByteBuf frame = RemotingCommandCodec.encode(cmd, alloc);
        assertTrue(frame.nioBufferCount() >= 3, "header plus the body's two views, gathered: "
                + frame.nioBufferCount());
        frame.release();
        assertEquals(0, activeDirectAllocations());
        assertEquals(Buffer.buffer(bytes), Buffer.buffer(body.getBytes()), "the body is still readable");
        ByteBuf again = RemotingCommandCodec.encode(cmd, alloc);
        assertEquals(Buffer.buffer(RemotingCommandCodec.encode(cmd).getBytes()),
                Buffer.buffer(ByteBufUtil.getBytes(again)), "and can be written again");
        again.release();
    }

    /** Two direct views, as a pull response's body of mapped commit-log records. */
    private static Buffer directViews(byte[] bytes) {
        int cut = bytes.length / 3;
        ByteBuffer first = ByteBuffer.allocateDirect(cut).put(bytes, 0, cut).flip();
        ByteBuffer rest = ByteBuffer.allocateDirect(bytes.length - cut).put(bytes, cut, bytes.length - cut).flip();
        return BufferInternal.buffer(Unpooled.wrappedBuffer(first.asReadOnlyBuffer(), rest.asReadOnlyBuffer()));
    }

    private static byte[] pattern(int n) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) (i * 31 + 7);
        }
        return b;
    }

    private long activeDirectAllocations() {
        return alloc.metric().directArenas().stream().mapToLong(PoolArenaMetric::numActiveAllocations).sum();
    }
}

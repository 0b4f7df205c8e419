package io.tern.remoting.protocol;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.buffer.BufferInternal;
import java.nio.ByteBuffer;

/**
 * Frames (spec 1.2). One frame per command in both directions:
 *
 * <pre>
 *  0          4                8                      8+h
 *  +----------+----------------+----------------------+-------------------+
 *  | length   | type | hdrLen  | header (JSON/binary) | body              |
 *  +----------+----------------+----------------------+-------------------+
 *  length = 4 + h + bodyLength; headerInfo = serializeType &lt;&lt; 24 | h
 * </pre>
 *
 * Encoding never copies the body: the frame is a composite of the header bytes and the body buffer. When the body
 * is large and direct (a pull response's views of the mapped commit log) the header goes into a small direct
 * buffer too: Netty writes an all-direct frame with one gathering write, where a frame with a heap part is first
 * copied whole into a new direct buffer (7.6 % of the event loop while draining a backlog, against 1.9 % for the
 * pull itself).
 */
public final class RemotingCommandCodec {
    /** Largest frame either side accepts (16 MiB), as {@code com.rocketmq.remoting.frameMaxLength}. */
    public static final int MAX_FRAME_BYTES = 16 * 1024 * 1024;
    static final int LENGTH_BYTES = 4;
    static final int HEADER_INFO_BYTES = 4;
    /**
     * Smallest direct body whose header is put in a direct buffer. Below it, copying the frame (what Netty does for
     * a frame with a heap part, from its pooled allocator) costs less than allocating a direct buffer for the header.
     */
    static final int DIRECT_HEADER_MIN_BODY_BYTES = 16 * 1024;

    public static Buffer encode(RemotingCommand cmd) {
        Buffer body = cmd.body();
        int bodyLength = body == null ? 0 : body.length();
        ByteBuf prefix;
        if (cmd.serializeType() == SerializeType.ROCKETMQ) {
            byte[] header = BinaryHeaderCodec.encode(cmd);
            prefix = Unpooled.buffer(LENGTH_BYTES + HEADER_INFO_BYTES + header.length);
            prefix.writeInt(HEADER_INFO_BYTES + header.length + bodyLength);
            prefix.writeInt((cmd.serializeType() << 24) | (header.length & 0xFFFFFF));
            prefix.writeBytes(header);
        } else {
            // the JSON header is written in place after the two ints, which are filled in once its length is known
            HeaderBytes out = new HeaderBytes(256);
            out.reserve(LENGTH_BYTES + HEADER_INFO_BYTES);
            JsonHeaderCodec.write(cmd, out);
            int headerLength = out.length() - LENGTH_BYTES - HEADER_INFO_BYTES;
            out.putInt(0, HEADER_INFO_BYTES + headerLength + bodyLength);
            out.putInt(LENGTH_BYTES, (SerializeType.JSON << 24) | (headerLength & 0xFFFFFF));
            prefix = Unpooled.wrappedBuffer(out.array(), 0, out.length());
        }
        if (bodyLength == 0) {
            return BufferInternal.buffer(prefix);
        }
        ByteBuf bodyBuf = ((BufferInternal) body).getByteBuf();
        if (bodyLength >= DIRECT_HEADER_MIN_BODY_BYTES && bodyBuf.isDirect()) {
            prefix = directCopy(prefix);
        }
        return BufferInternal.buffer(Unpooled.wrappedBuffer(prefix, bodyBuf));
    }

    /**
     * A direct copy of {@code heap}, in memory the garbage collector frees (a pooled buffer would leak: Vert.x
     * writes a Buffer's bytes without releasing them).
     */
    private static ByteBuf directCopy(ByteBuf heap) {
        ByteBuffer direct = ByteBuffer.allocateDirect(heap.readableBytes());
        heap.getBytes(heap.readerIndex(), direct);
        direct.flip();
        return Unpooled.wrappedBuffer(direct);
    }

    /**
     * Decodes one frame without its length prefix ({@code frame} starts at headerInfo). The body is a slice
     * of {@code frame}, not a copy.
     *
     * @throws FrameTooLargeException when the header is malformed; the caller closes the connection
     */
    public static RemotingCommand decode(Buffer frame) {
        int frameLength = frame.length();
        if (frameLength < HEADER_INFO_BYTES) {
            throw new FrameTooLargeException("frame of " + frameLength + " bytes has no header info");
        }
        int headerInfo = frame.getInt(0);
        int type = (headerInfo >>> 24) & 0xFF;
        int headerLength = headerInfo & 0xFFFFFF;
        if (headerLength > frameLength - HEADER_INFO_BYTES) {
            throw new FrameTooLargeException("header length " + headerLength + " past the frame of " + frameLength);
        }
        // read the header where it lies when the frame is a heap buffer (inbound frames are); copy otherwise
        ByteBuf buf = ((BufferInternal) frame).getByteBuf();
        byte[] headerBytes;
        int headerOffset;
        if (buf.hasArray()) {
            headerBytes = buf.array();
            headerOffset = buf.arrayOffset() + buf.readerIndex() + HEADER_INFO_BYTES;
        } else {
            headerBytes = frame.getBytes(HEADER_INFO_BYTES, HEADER_INFO_BYTES + headerLength);
            headerOffset = 0;
        }
        RemotingCommand cmd = switch (type) {
            case SerializeType.JSON -> JsonHeaderCodec.decode(headerBytes, headerOffset, headerLength);
            case SerializeType.ROCKETMQ -> BinaryHeaderCodec.decode(headerBytes, headerOffset, headerLength);
            default -> throw new FrameTooLargeException("unknown header serialize type " + type);
        };
        int bodyStart = HEADER_INFO_BYTES + headerLength;
        if (bodyStart < frameLength) {
            cmd.body(frame.slice(bodyStart, frameLength));
        }
        return cmd;
    }

    private RemotingCommandCodec() {
    }
}

package io.tern.remoting.protocol;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
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
 * A connection writes {@link #encode(RemotingCommand, ByteBufAllocator)}: the frame in pooled direct memory, copied
 * once, or, for a large direct body (a pull response's views of the mapped commit log), a direct header and the
 * body uncopied, written by one gathering write. Netty would copy any frame with a heap part whole into a new
 * direct buffer first (7.6 % of the event loop while draining a backlog, against 1.9 % for the pull itself).
 */
public final class RemotingCommandCodec {
    /** Largest frame either side accepts (16 MiB), as {@code com.rocketmq.remoting.frameMaxLength}. */
    public static final int MAX_FRAME_BYTES = 16 * 1024 * 1024;
    static final int LENGTH_BYTES = 4;
    static final int HEADER_INFO_BYTES = 4;
    /**
     * Smallest direct body written uncopied behind its header. Below it one copy of the frame into one buffer costs
     * less than a composite and a gathering write.
     */
    static final int DIRECT_HEADER_MIN_BODY_BYTES = 16 * 1024;

    /** The frame as a Vert.x buffer over heap and (large direct bodies) direct parts; for tests and tools. */
    public static Buffer encode(RemotingCommand cmd) {
        Buffer body = cmd.body();
        int bodyLength = body == null ? 0 : body.length();
        HeaderBytes prefix = prefix(cmd, bodyLength);
        ByteBuf head = Unpooled.wrappedBuffer(prefix.array(), 0, prefix.length());
        if (bodyLength == 0) {
            return BufferInternal.buffer(head);
        }
        ByteBuf bodyBuf = ((BufferInternal) body).getByteBuf();
        if (bodyLength >= DIRECT_HEADER_MIN_BODY_BYTES && bodyBuf.isDirect()) {
            head = directCopy(head);
        }
        return BufferInternal.buffer(Unpooled.wrappedBuffer(head, bodyBuf));
    }

    /**
     * A direct copy of {@code heap}, in memory the garbage collector frees (a pooled buffer would leak: a Buffer
     * written through Vert.x is not released).
     */
    private static ByteBuf directCopy(ByteBuf heap) {
        ByteBuffer direct = ByteBuffer.allocateDirect(heap.readableBytes());
        heap.getBytes(heap.readerIndex(), direct);
        direct.flip();
        return Unpooled.wrappedBuffer(direct);
    }

    /**
     * The frame for a Netty channel, which writes it and then releases it: all of it in direct memory from
     * {@code alloc}, so Netty writes it as it is. Netty copies any frame with a heap part into a new direct buffer
     * before writing, and a composite handed over by Vert.x (a slice) is first merged into a new heap buffer on the
     * way: two copies and a frame-sized allocation for every small pull response. Here a frame is copied once, into
     * a pooled direct buffer; a large direct body (a pull response's views of the mapped commit log) is not copied
     * at all but written with its header by one gathering write. The body's own buffer is not released by the
     * write (Vert.x hands it out unreleasable), so the command may still be read afterwards.
     */
    public static ByteBuf encode(RemotingCommand cmd, ByteBufAllocator alloc) {
        Buffer body = cmd.body();
        int bodyLength = body == null ? 0 : body.length();
        HeaderBytes prefix = prefix(cmd, bodyLength);
        ByteBuf bodyBuf = bodyLength == 0 ? null : ((BufferInternal) body).getByteBuf();
        if (bodyBuf != null && bodyLength >= DIRECT_HEADER_MIN_BODY_BYTES && bodyBuf.isDirect()) {
            ByteBuf head = alloc.directBuffer(prefix.length()).writeBytes(prefix.array(), 0, prefix.length());
            return alloc.compositeDirectBuffer(2).addComponents(true, head, bodyBuf);
        }
        ByteBuf frame = alloc.directBuffer(prefix.length() + bodyLength);
        frame.writeBytes(prefix.array(), 0, prefix.length());
        if (bodyBuf != null) {
            frame.writeBytes(bodyBuf, bodyBuf.readerIndex(), bodyLength);
        }
        return frame;
    }

    /** Length, header info and header of the frame of {@code cmd}, whose body has {@code bodyLength} bytes. */
    private static HeaderBytes prefix(RemotingCommand cmd, int bodyLength) {
        if (cmd.serializeType() == SerializeType.ROCKETMQ) {
            byte[] header = BinaryHeaderCodec.encode(cmd);
            HeaderBytes out = new HeaderBytes(LENGTH_BYTES + HEADER_INFO_BYTES + header.length);
            out.reserve(LENGTH_BYTES + HEADER_INFO_BYTES);
            out.putInt(0, HEADER_INFO_BYTES + header.length + bodyLength);
            out.putInt(LENGTH_BYTES, (SerializeType.ROCKETMQ << 24) | (header.length & 0xFFFFFF));
            out.write(header);
            return out;
        }
        // the JSON header is written in place after the two ints, which are filled in once its length is known
        HeaderBytes out = new HeaderBytes(256);
        out.reserve(LENGTH_BYTES + HEADER_INFO_BYTES);
        JsonHeaderCodec.write(cmd, out);
        int headerLength = out.length() - LENGTH_BYTES - HEADER_INFO_BYTES;
        out.putInt(0, HEADER_INFO_BYTES + headerLength + bodyLength);
        out.putInt(LENGTH_BYTES, (SerializeType.JSON << 24) | (headerLength & 0xFFFFFF));
        return out;
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

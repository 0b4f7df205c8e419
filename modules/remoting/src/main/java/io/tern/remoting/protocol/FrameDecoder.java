package io.tern.remoting.protocol;

import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;

/**
 * Cuts a TCP byte stream into frames. A length below 4 or above {@link RemotingCommandCodec#MAX_FRAME_BYTES}
 * is rejected as soon as the 4 length bytes are in, so a 1 GB length never makes us buffer anything.
 *
 * <p>A frame that arrives in several reads is gathered in one buffer. Once an eighth of it is in, that buffer is
 * sized to the whole frame, so a large message is not reassembled through a chain of doubling buffers (a 1 MiB
 * frame used to end in a 2 MiB buffer after 2 MiB of discarded ones, all on the heap while the put is in flight);
 * before that it grows with what arrives, so a length alone never makes us allocate the size it claims. A sized
 * buffer takes only its frame's bytes; what follows in the same read is cut as a fresh read. With
 * {@link OffHeapFrames} (a server's connections), a sized buffer for a large frame is off the heap.
 *
 * <p>A buffer from which a frame was handed out is never written again: the frame is owned by its request, and a
 * send's body stays a view of it until the store writer has copied it.
 *
 * <p>Not thread-safe; owned by one connection's event loop.
 */
public final class FrameDecoder {
    private final Handler<Buffer> frameHandler;
    /** Where large frames are gathered off the heap; null: all on the heap. */
    private final OffHeapFrames offHeap;
    private Buffer pending;
    /** Length prefix included, the size of the frame {@link #pending} was allocated for; 0 while it only grows. */
    private int pendingFrameBytes;

    public FrameDecoder(Handler<Buffer> frameHandler) {
        this(frameHandler, null);
    }

    /** @param offHeap where large frames are gathered; null keeps every frame on the heap */
    public FrameDecoder(Handler<Buffer> frameHandler, OffHeapFrames offHeap) {
        this.frameHandler = frameHandler;
        this.offHeap = offHeap;
    }

    /**
     * Feeds bytes; calls the handler with each complete frame (without the length prefix). Returns how many frames
     * it handed out.
     */
    public int feed(Buffer chunk) {
        Buffer data = chunk;
        boolean dataIsPending = false;
        int frames = 0;
        if (pending != null && pendingFrameBytes > 0) {
            int need = pendingFrameBytes - pending.length();
            int n = chunk.length();
            if (n < need) {
                pending.appendBuffer(chunk);
                return 0;
            }
            pending.appendBuffer(chunk, 0, need);
            Buffer whole = pending;
            int wholeBytes = pendingFrameBytes;
            pending = null;
            pendingFrameBytes = 0;
            frameHandler.handle(whole.slice(RemotingCommandCodec.LENGTH_BYTES, wholeBytes));
            frames = 1;
            if (n == need) {
                return frames;
            }
            data = chunk.slice(need, n);
        } else if (pending != null) {
            pending.appendBuffer(chunk);
            data = pending;
            dataIsPending = true;
            pending = null;
        }
        int pos = 0;
        int end = data.length();
        while (end - pos >= RemotingCommandCodec.LENGTH_BYTES) {
            int length = data.getInt(pos);
            if (length < RemotingCommandCodec.HEADER_INFO_BYTES || length > RemotingCommandCodec.MAX_FRAME_BYTES) {
                throw new FrameTooLargeException("frame length " + length + " outside 4.."
                        + RemotingCommandCodec.MAX_FRAME_BYTES);
            }
            if (end - pos - RemotingCommandCodec.LENGTH_BYTES < length) {
                break;
            }
            int start = pos + RemotingCommandCodec.LENGTH_BYTES;
            frameHandler.handle(data.slice(start, start + length));
            pos = start + length;
            frames++;
        }
        if (pos < end) {
            int partial = end - pos;
            // the loop above checked the length of a frame whose 4 length bytes are in
            int frameBytes = partial >= RemotingCommandCodec.LENGTH_BYTES
                    ? RemotingCommandCodec.LENGTH_BYTES + data.getInt(pos) : -1;
            boolean sizeNow = frameBytes > 0 && partial >= frameBytes / 8;
            if (pos == 0 && dataIsPending && !sizeNow) {
                // the pending frame only grew: keep appending to it. Copying it again at every read made a frame
                // of n bytes cost n²/read-size bytes of copying (a 1 MiB message ~30 MiB; performance-notes 18)
                pending = data;
            } else if (sizeNow) {
                // copy the partial tail (the slices handed out above may still reference 'data') into a buffer of
                // the frame's size, off the heap for a large frame while the budget allows
                Buffer sized = offHeap == null ? null : offHeap.allocate(frameBytes);
                pending = (sized != null ? sized : Buffer.buffer(frameBytes)).appendBuffer(data, pos, partial);
                pendingFrameBytes = frameBytes;
            } else {
                pending = Buffer.buffer(Math.max(partial, 256)).appendBuffer(data, pos, partial);
            }
        }
        return frames;
    }

    /** True when bytes of a frame not yet complete are buffered. */
    public boolean hasPartialFrame() {
        return pending != null;
    }
}

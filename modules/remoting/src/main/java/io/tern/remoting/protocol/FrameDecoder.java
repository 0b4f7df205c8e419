package io.tern.remoting.protocol;

import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;

/**
 * Cuts a TCP byte stream into frames. A length below 4 or above {@link RemotingCommandCodec#MAX_FRAME_BYTES}
 * is rejected as soon as the 4 length bytes are in, so a 1 GB length never makes us buffer anything.
 *
 * <p>Not thread-safe; owned by one connection's event loop.
 */
public final class FrameDecoder {
    private final Handler<Buffer> frameHandler;
    private Buffer pending;

    public FrameDecoder(Handler<Buffer> frameHandler) {
        this.frameHandler = frameHandler;
    }

    /**
     * Feeds bytes; calls the handler with each complete frame (without the length prefix). Returns how many frames
     * it handed out.
     */
    public int feed(Buffer chunk) {
        Buffer data = chunk;
        if (pending != null) {
            pending.appendBuffer(chunk);
            data = pending;
            pending = null;
        }
        int pos = 0;
        int frames = 0;
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
            if (pos == 0 && data != chunk) {
                // the pending frame only grew: keep appending to it. Copying it again at every read made a frame
                // of n bytes cost n²/read-size bytes of copying (a 1 MiB message ~30 MiB; performance-notes 18)
                pending = data;
            } else {
                // copy the partial tail: the slices handed out above may still reference 'data'
                pending = Buffer.buffer(Math.max(end - pos, 256)).appendBuffer(data, pos, end - pos);
            }
        }
        return frames;
    }

    /** True when bytes of a frame not yet complete are buffered. */
    public boolean hasPartialFrame() {
        return pending != null;
    }
}

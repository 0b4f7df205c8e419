package io.tern.remoting.protocol;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.buffer.Buffer;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class FrameDecoderTest {

    private static Buffer frame(byte[] payload) {
        return Buffer.buffer().appendInt(payload.length).appendBytes(payload);
    }

    @Test
    void aLargeFrameArrivingInSmallReadsIsCopiedAboutOnceNotOncePerRead() {
        byte[] payload = new byte[4 * 1024 * 1024];
        new Random(7).nextBytes(payload);
        Buffer wire = frame(payload);
        List<Buffer> frames = new ArrayList<>();
        FrameDecoder decoder = new FrameDecoder(frames::add);
        com.sun.management.ThreadMXBean threads =
                (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long before = threads.getCurrentThreadAllocatedBytes();
        for (int pos = 0; pos < wire.length(); pos += 4096) {
            decoder.feed(wire.getBuffer(pos, Math.min(wire.length(), pos + 4096)));
        }
        long allocated = threads.getCurrentThreadAllocatedBytes() - before;
        assertEquals(1, frames.size());
        assertArrayEquals(payload, frames.get(0).getBytes());
        // measured: 13.7 MB (the 4 MiB of reads with their wrappers, the frame's own 4 MiB buffer); a copy of the
        // pending bytes at every read was ~5 GB, a buffer doubling up to the frame's size 25.3 MB
        assertTrue(allocated < 16L * 1024 * 1024, "bytes allocated to reassemble a 4 MiB frame: " + allocated);
    }

    @Test
    void aLengthAloneDoesNotMakeTheDecoderAllocateWhatItClaims() {
        List<Buffer> frames = new ArrayList<>();
        FrameDecoder decoder = new FrameDecoder(frames::add);
        com.sun.management.ThreadMXBean threads =
                (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        Buffer start = Buffer.buffer().appendInt(RemotingCommandCodec.MAX_FRAME_BYTES).appendBytes(new byte[1024]);
        long before = threads.getCurrentThreadAllocatedBytes();
        decoder.feed(start);
        decoder.feed(Buffer.buffer(new byte[1024]));
        long allocated = threads.getCurrentThreadAllocatedBytes() - before;
        assertTrue(decoder.hasPartialFrame());
        assertEquals(0, frames.size());
        assertTrue(allocated < 256 * 1024, "bytes allocated for 2 KiB of a frame claiming 16 MiB: " + allocated);
    }

    @Test
    void framesSplitAnywhereComeOutWholeAndInOrder() {
        Random random = new Random(11);
        Buffer wire = Buffer.buffer();
        List<byte[]> sent = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            byte[] p = new byte[4 + random.nextInt(i % 10 == 0 ? 100_000 : 300)];
            random.nextBytes(p);
            sent.add(p);
            wire.appendBuffer(frame(p));
        }
        List<Buffer> got = new ArrayList<>();
        FrameDecoder decoder = new FrameDecoder(got::add);
        int pos = 0;
        while (pos < wire.length()) {
            int n = Math.min(wire.length() - pos, 1 + random.nextInt(20_000));
            decoder.feed(wire.getBuffer(pos, pos + n));
            pos += n;
        }
        assertEquals(sent.size(), got.size());
        // compared only after the whole stream was fed: a frame handed out is never written again, which the store
        // relies on (a send's body stays a view of its frame until the store writer copies it)
        for (int i = 0; i < sent.size(); i++) {
            assertArrayEquals(sent.get(i), got.get(i).getBytes(), "frame " + i);
        }
    }
}

package io.tern.remoting.protocol;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.buffer.BufferInternal;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Large frames gathered off the heap: whole, within the budget, alive while any view is, returned after. */
class OffHeapFramesTest {
    private static final int MIB = 1024 * 1024;

    private static Buffer frame(byte[] payload) {
        return Buffer.buffer().appendInt(payload.length).appendBytes(payload);
    }

    private static boolean offHeap(Buffer b) {
        return ((BufferInternal) b).getByteBuf().isDirect();
    }

    private static void feedInReads(FrameDecoder decoder, Buffer wire, int readBytes) {
        for (int pos = 0; pos < wire.length(); pos += readBytes) {
            decoder.feed(wire.getBuffer(pos, Math.min(wire.length(), pos + readBytes)));
        }
    }

    @Test
    void largeFramesSplitAnywhereAreGatheredOffHeapAndComeOutWholeAndInOrder() {
        Random random = new Random(5);
        Buffer wire = Buffer.buffer();
        List<byte[]> sent = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            int size = switch (i % 4) {
                case 0 -> MIB;
                case 1 -> 200 * 1024;
                default -> 4 + random.nextInt(300);
            };
            byte[] p = new byte[size];
            random.nextBytes(p);
            sent.add(p);
            wire.appendBuffer(frame(p));
        }
        List<Buffer> got = new ArrayList<>();
        OffHeapFrames offHeap = new OffHeapFrames(256L * MIB);
        FrameDecoder decoder = new FrameDecoder(got::add, offHeap);
        int pos = 0;
        while (pos < wire.length()) {
            int n = Math.min(wire.length() - pos, 1 + random.nextInt(100_000));
            decoder.feed(wire.getBuffer(pos, pos + n));
            pos += n;
        }
        assertFalse(decoder.hasPartialFrame());
        assertEquals(sent.size(), got.size());
        // compared after the whole stream was fed: nothing handed out is written again
        for (int i = 0; i < sent.size(); i++) {
            assertArrayEquals(sent.get(i), got.get(i).getBytes(), "frame " + i);
            assertEquals(sent.get(i).length >= OffHeapFrames.MIN_FRAME_BYTES, offHeap(got.get(i)),
                    "frame " + i + " of " + sent.get(i).length + " bytes off the heap");
        }
        assertEquals(30, offHeap.framesAllocated());
    }

    @Test
    void aFrameBeyondTheBudgetIsGatheredOnTheHeap() {
        byte[] first = new byte[MIB];
        byte[] second = new byte[MIB];
        new Random(1).nextBytes(first);
        new Random(2).nextBytes(second);
        List<Buffer> got = new ArrayList<>();
        OffHeapFrames offHeap = new OffHeapFrames(3L * MIB / 2);
        FrameDecoder decoder = new FrameDecoder(got::add, offHeap);
        feedInReads(decoder, frame(first).appendBuffer(frame(second)), 64 * 1024);
        assertEquals(2, got.size());
        assertTrue(offHeap(got.get(0)));
        assertFalse(offHeap(got.get(1)), "no room left in the budget for the second frame");
        assertArrayEquals(first, got.get(0).getBytes());
        assertArrayEquals(second, got.get(1).getBytes());
        assertEquals(MIB + 4, offHeap.outstandingBytes());
        assertNull(offHeap.allocate(OffHeapFrames.MIN_FRAME_BYTES - 1), "a small frame stays on the heap");
    }

    @Test
    void aViewOfAFrameKeepsItsMemoryWhenEverythingElseIsGone() {
        byte[] payload = new byte[MIB];
        new Random(3).nextBytes(payload);
        OffHeapFrames offHeap = new OffHeapFrames(256L * MIB);
        ByteBuffer view = bodyViewOfOneFrame(payload, offHeap);
        // freed memory would be handed out again: fill new direct buffers while collections run
        List<ByteBuffer> churn = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            System.gc();
            ByteBuffer other = ByteBuffer.allocateDirect(MIB);
            while (other.hasRemaining()) {
                other.put((byte) 0x55);
            }
            churn.add(other);
        }
        byte[] read = new byte[view.remaining()];
        view.get(read);
        assertArrayEquals(payload, read);
        assertEquals(MIB + 4, offHeap.outstandingBytes(), "the frame is still referenced by its view");
    }

    /** A body view of one frame, as the send path keeps it; the decoder, the frame and the wire are dropped. */
    private static ByteBuffer bodyViewOfOneFrame(byte[] payload, OffHeapFrames offHeap) {
        List<Buffer> got = new ArrayList<>();
        FrameDecoder decoder = new FrameDecoder(got::add, offHeap);
        feedInReads(decoder, frame(payload), 64 * 1024);
        assertTrue(offHeap(got.get(0)));
        return ((BufferInternal) got.get(0)).getByteBuf().nioBuffer();
    }

    @Test
    void memoryReturnsToTheBudgetOnceNoViewIsLeft() throws InterruptedException {
        OffHeapFrames offHeap = new OffHeapFrames(256L * MIB);
        decodeAndDrop(offHeap, 4);
        assertEquals(4L * (MIB + 4), offHeap.outstandingBytes());
        // a collection finds the frames unreachable; the reference handler queues them shortly after
        for (int i = 0; i < 200 && offHeap.outstandingBytes() > 0; i++) {
            System.gc();
            Thread.sleep(10);
        }
        assertEquals(0, offHeap.outstandingBytes(), "off-heap frames no longer referenced were not returned");
    }

    private static void decodeAndDrop(OffHeapFrames offHeap, int frames) {
        List<Buffer> got = new ArrayList<>();
        FrameDecoder decoder = new FrameDecoder(got::add, offHeap);
        Buffer wire = Buffer.buffer();
        for (int i = 0; i < frames; i++) {
            wire.appendBuffer(frame(new byte[MIB]));
        }
        feedInReads(decoder, wire, 64 * 1024);
        assertEquals(frames, got.size());
    }
}

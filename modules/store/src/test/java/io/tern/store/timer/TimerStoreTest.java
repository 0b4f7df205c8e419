package io.tern.store.timer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The timer log, the wheel and their checkpoint on real files: linking, reading back by tick, recovery, cleanup. */
class TimerStoreTest {
    private static final int PRECISION_MS = 100;
    private static final int WINDOW = 1000;
    private static final long NOW_MS = 1_764_900_000_000L;
    private static final long NOW_TICK = NOW_MS / PRECISION_MS;

    @TempDir
    Path root;

    private TimerStore open(List<TimerLog.Entry> recovered) throws IOException {
        return TimerStore.open(root, PRECISION_MS, WINDOW, 1024 * 1024, NOW_MS, recovered::add);
    }

    private static List<Long> chain(TimerStore s, long tick) {
        List<Long> offsets = new ArrayList<>();
        for (TimerLog.Entry e = s.newest(tick); e != null; e = s.previous(e)) {
            offsets.add(e.commitLogOffset());
        }
        return offsets;
    }

    @Test
    void linksTimersByTickAndReadsEachTickNewestFirst() throws IOException {
        TimerStore s = open(new ArrayList<>());
        long due = NOW_MS + 5_000;
        s.link(100, 1000, due, 0, s.dequeueTick());
        s.link(100, 2000, due + 300, 1, s.dequeueTick());
        s.link(100, 3000, due, 2, s.dequeueTick());
        long tick = s.tickOf(due);
        assertEquals(List.of(3000L, 1000L), chain(s, tick));
        assertEquals(2, s.count(tick));
        assertEquals(List.of(2000L), chain(s, tick + 3));
        assertEquals(tick, s.nextOccupiedTick());
        assertEquals(3, s.enqueueOffset());
        s.delivered(tick);
        assertEquals(tick + 3, s.nextOccupiedTick());
        s.close();
    }

    @Test
    void roundsUpToTheTickAndKeepsTimersInsideTheWindow() throws IOException {
        TimerStore s = open(new ArrayList<>());
        assertEquals(NOW_TICK + 1, s.tickOf(NOW_MS + 1), "a timer is never due before its time");
        assertEquals(NOW_TICK + 1, s.tickOf(NOW_MS + PRECISION_MS));
        assertEquals(s.dequeueTick(), s.link(1, 1, NOW_MS - 60_000, 0, s.dequeueTick()), "overdue: the first open tick");
        long far = NOW_MS + 30L * 24 * 3600 * 1000;
        assertEquals(s.dequeueTick() + WINDOW - 1, s.link(1, 2, far, 1, s.dequeueTick()), "beyond: the window's end");
        TimerLog.Entry rolled = s.newest(s.dequeueTick() + WINDOW - 1);
        assertEquals(far, rolled.dueMs(), "the entry keeps its real due time, to be rolled");
        s.close();
    }

    @Test
    void restartKeepsPendingTimersAndWhatWasDelivered() throws IOException {
        TimerStore s = open(new ArrayList<>());
        long first = s.link(1, 10, NOW_MS + 1_000, 0, s.dequeueTick());
        long second = s.link(1, 20, NOW_MS + 2_000, 1, s.dequeueTick());
        s.advanceDequeueTo(first);
        s.delivered(first);
        s.checkpoint();
        s.close();

        List<TimerLog.Entry> recovered = new ArrayList<>();
        TimerStore again = open(recovered);
        assertTrue(recovered.isEmpty(), "all was checkpointed");
        assertEquals(second, again.nextOccupiedTick());
        assertEquals(List.of(20L), chain(again, second));
        assertEquals(2, again.enqueueOffset());
        assertEquals(first + 1, again.dequeueTick());
        again.close();
    }

    /** As after kill -9: entries written after the checkpoint survive in the page cache, one link in the wheel did not. */
    @Test
    void recoversEntriesWrittenAfterTheCheckpointAndRelinksWhatTheWheelMissed() throws IOException {
        TimerStore s = open(new ArrayList<>());
        long due = NOW_MS + 3_000;
        long tick = s.link(1, 10, due, 0, s.dequeueTick());
        s.checkpoint();
        s.link(1, 20, due, 1, s.dequeueTick());
        long other = s.link(1, 30, due + 1_000, 2, s.dequeueTick());
        s.close();
        // the last wheel write was lost: the slot of `other` still holds nothing
        try (FileChannel ch = FileChannel.open(root.resolve("timerwheel"), StandardOpenOption.WRITE)) {
            ch.write(ByteBuffer.allocate(TimerWheel.SLOT_BYTES), Math.floorMod(other, 2L * WINDOW) * TimerWheel.SLOT_BYTES);
        }

        List<TimerLog.Entry> recovered = new ArrayList<>();
        TimerStore again = open(recovered);
        assertEquals(List.of(1L, 2L), recovered.stream().map(TimerLog.Entry::queueOffset).toList());
        assertEquals(List.of(20L, 10L), chain(again, tick));
        assertEquals(List.of(30L), chain(again, other));
        assertEquals(3, again.enqueueOffset());
        // appends continue after the recovered entries
        again.link(1, 40, due, 3, again.dequeueTick());
        assertEquals(List.of(40L, 20L, 10L), chain(again, tick));
        again.close();
    }

    @Test
    void aTickAlreadyDeliveredInTheSlotIsNotReadAsTheNewOne() throws IOException {
        TimerStore s = open(new ArrayList<>());
        long tick = s.link(1, 10, NOW_MS + 500, 0, s.dequeueTick());
        s.advanceDequeueTo(tick);
        s.delivered(tick);
        long sameSlotLater = tick + 2L * WINDOW;
        s.advanceDequeueTo(tick + WINDOW + 10);
        assertEquals(sameSlotLater, s.link(1, 20, s.dueMsOf(sameSlotLater), 1, s.dequeueTick()));
        assertEquals(List.of(20L), chain(s, sameSlotLater));
        assertNull(s.newest(tick));
        s.close();
    }

    @Test
    void deletesTimerLogSegmentsOnceEveryTimerInThemWasDelivered() throws IOException {
        TimerStore s = TimerStore.open(root, PRECISION_MS, WINDOW, 10 * TimerLog.ENTRY_BYTES, NOW_MS, e -> { });
        long lastTick = 0;
        for (int i = 0; i < 25; i++) {
            lastTick = s.link(1, i, NOW_MS + 1_000 + i * PRECISION_MS, i, s.dequeueTick());
        }
        assertEquals(3, s.logSegments());
        long firstOfSecondSegment = s.tickOf(NOW_MS + 1_000 + 10 * PRECISION_MS);
        s.advanceDequeueTo(firstOfSecondSegment);
        assertEquals(1, s.deleteDeliveredSegments(), "only the first segment is done");
        s.advanceDequeueTo(lastTick + 1);
        assertEquals(1, s.deleteDeliveredSegments(), "the last segment is still written to");
        try (Stream<Path> files = Files.list(root.resolve("timerlog"))) {
            assertEquals(1, files.count());
        }
        s.close();
    }

    @Test
    void refusesToOpenWithAnotherPrecision() throws IOException {
        TimerStore s = open(new ArrayList<>());
        s.checkpoint();
        s.close();
        IOException e = assertThrows(IOException.class,
                () -> TimerStore.open(root, 1000, WINDOW, 1024 * 1024, NOW_MS, x -> { }));
        assertTrue(e.getMessage().contains("timerPrecisionMs=100"), e.getMessage());
    }
}

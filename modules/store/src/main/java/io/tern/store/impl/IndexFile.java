package io.tern.store.impl;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.List;

/**
 * One hashed index file (spec 6.4): key {@code topic#key} → commit-log offsets, chained per hash slot.
 *
 * <pre>
 *  header (40 bytes)
 *  0               8               16              24              32       36       40
 *  +---------------+---------------+---------------+---------------+--------+--------+
 *  | beginTimestamp| endTimestamp  | beginPhyOffset| endPhyOffset  | slots  | count  |
 *  +---------------+---------------+---------------+---------------+--------+--------+
 *  slots: hashSlotNum x 4 bytes = number of the newest entry in the slot (0 = empty)
 *  entries: maxIndexNum x 20 bytes, entry n at 40 + hashSlotNum*4 + n*20 (n starts at 1):
 *  0        4                 12       16       20
 *  +--------+-----------------+--------+--------+
 *  |keyHash | phyOffset       |timeDiff|prev    |   timeDiff = seconds since beginTimestamp
 *  +--------+-----------------+--------+--------+
 * </pre>
 *
 * <p>Thread contract: written only by the dispatcher; queried from any thread. An entry is written before its
 * slot points at it and before {@link #indexCount} is raised, and readers bound every chain step by the count.
 */
final class IndexFile {
    static final int HEADER_BYTES = 40;
    static final int BEGIN_TIMESTAMP_AT = 0;
    static final int END_TIMESTAMP_AT = 8;
    static final int BEGIN_PHY_OFFSET_AT = 16;
    static final int END_PHY_OFFSET_AT = 24;
    static final int HASH_SLOT_COUNT_AT = 32;
    static final int INDEX_COUNT_AT = 36;
    static final int SLOT_BYTES = 4;
    static final int ENTRY_BYTES = 20;

    private final MappedSegment file;
    private final ByteBuffer buf;
    private final int slotNum;
    private final int maxIndexNum;
    private volatile int indexCount;
    private volatile long beginTimestamp;
    private volatile long endTimestamp;
    private volatile long beginPhyOffset;
    private volatile long endPhyOffset;
    private volatile boolean settled;

    private IndexFile(MappedSegment file, int slotNum, int maxIndexNum) {
        this.file = file;
        this.buf = file.buffer();
        this.slotNum = slotNum;
        this.maxIndexNum = maxIndexNum;
        int count = buf.getInt(INDEX_COUNT_AT);
        this.indexCount = count <= 0 ? 1 : count;
        this.beginTimestamp = buf.getLong(BEGIN_TIMESTAMP_AT);
        this.endTimestamp = buf.getLong(END_TIMESTAMP_AT);
        this.beginPhyOffset = buf.getLong(BEGIN_PHY_OFFSET_AT);
        this.endPhyOffset = buf.getLong(END_PHY_OFFSET_AT);
    }

    static long fileBytes(int slotNum, int maxIndexNum) {
        return HEADER_BYTES + (long) slotNum * SLOT_BYTES + (long) maxIndexNum * ENTRY_BYTES;
    }

    static IndexFile open(Path path, int slotNum, int maxIndexNum) throws IOException {
        long size = fileBytes(slotNum, maxIndexNum);
        if (size > Integer.MAX_VALUE) {
            throw new IOException("index file of " + size + " bytes is too large: lower maxHashSlotNum/maxIndexNum");
        }
        MappedSegment file = MappedSegment.open(path, 0, (int) size, false);
        if (file.isFresh()) {
            // the header and the slots take random stores: put them in the page cache whole, now, so that no store
            // faults in an uncached page with the mapping's read-around (MappedSegment#prepareAppend)
            try {
                file.prepareAppend(0, HEADER_BYTES + slotNum * SLOT_BYTES);
            } catch (IOException e) {
                file.delete();
                throw e;
            }
        }
        return new IndexFile(file, slotNum, maxIndexNum);
    }

    static int hash(String key) {
        int h = key.hashCode();
        return h == Integer.MIN_VALUE ? 0 : Math.abs(h);
    }

    boolean isFull() {
        return indexCount >= maxIndexNum;
    }

    boolean isEmpty() {
        return indexCount <= 1;
    }

    /** Dispatcher: adds one key; false when the file is full. */
    boolean put(String key, long phyOffset, long storeTimestamp) throws IOException {
        int count = indexCount;
        if (count >= maxIndexNum) {
            return false;
        }
        int entryPos = HEADER_BYTES + slotNum * SLOT_BYTES + count * ENTRY_BYTES;
        // entries are appended: their pages go into the page cache through the channel, as a consume queue's do
        file.prepareAppend(entryPos, ENTRY_BYTES);
        int keyHash = hash(key);
        int slotPos = HEADER_BYTES + (keyHash % slotNum) * SLOT_BYTES;
        int prev = buf.getInt(slotPos);
        if (prev <= 0 || prev >= count) {
            prev = 0;
        }
        if (count == 1) {
            beginTimestamp = storeTimestamp;
            beginPhyOffset = phyOffset;
            buf.putLong(BEGIN_TIMESTAMP_AT, storeTimestamp).putLong(BEGIN_PHY_OFFSET_AT, phyOffset);
        }
        long diffSeconds = Math.max(0, (storeTimestamp - beginTimestamp) / 1000);
        buf.putInt(entryPos, keyHash).putLong(entryPos + 4, phyOffset)
                .putInt(entryPos + 12, (int) Math.min(Integer.MAX_VALUE, diffSeconds)).putInt(entryPos + 16, prev);
        buf.putInt(slotPos, count);
        if (prev == 0) {
            buf.putInt(HASH_SLOT_COUNT_AT, buf.getInt(HASH_SLOT_COUNT_AT) + 1);
        }
        buf.putLong(END_TIMESTAMP_AT, storeTimestamp).putLong(END_PHY_OFFSET_AT, phyOffset)
                .putInt(INDEX_COUNT_AT, count + 1);
        endTimestamp = storeTimestamp;
        endPhyOffset = phyOffset;
        indexCount = count + 1;
        return true;
    }

    /** Adds to {@code out} offsets of entries with the key's hash stored within [begin, end], newest first. */
    void select(String key, long beginMs, long endMs, int maxNum, List<Long> out) {
        int count = indexCount;
        if (count <= 1 || endMs < beginTimestamp || beginMs > endTimestamp) {
            return;
        }
        int keyHash = hash(key);
        int n = buf.getInt(HEADER_BYTES + (keyHash % slotNum) * SLOT_BYTES);
        long begin = beginTimestamp;
        while (n > 0 && n < count && out.size() < maxNum) {
            int pos = HEADER_BYTES + slotNum * SLOT_BYTES + n * ENTRY_BYTES;
            int diff = buf.getInt(pos + 12);
            if (diff < 0) {
                break;
            }
            long time = begin + diff * 1000L;
            // stored times are truncated to seconds: widen the lower bound by that second
            if (buf.getInt(pos) == keyHash && time >= beginMs - 999 && time <= endMs) {
                out.add(buf.getLong(pos + 4));
            }
            int prev = buf.getInt(pos + 16);
            if (prev >= n) {
                break;
            }
            n = prev;
        }
    }

    long beginTimestamp() {
        return beginTimestamp;
    }

    long endTimestamp() {
        return endTimestamp;
    }

    long beginPhyOffset() {
        return beginPhyOffset;
    }

    long endPhyOffset() {
        return endPhyOffset;
    }

    MappedSegment file() {
        return file;
    }

    /** Full and flushed since: never needs another flush. */
    boolean isSettled() {
        return settled;
    }

    void flush() throws IOException {
        boolean full = isFull();
        file.force(0, file.sizeBytes());
        settled = full;
    }
}

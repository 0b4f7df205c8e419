package io.tern.store.impl;

import io.tern.common.message.MessageSysFlag;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.SimpleDateFormat;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Date;
import java.util.List;
import java.util.function.LongSupplier;
import java.util.stream.Stream;

/**
 * The message index: {@link IndexFile}s under {@code index/}, named by creation time (yyyyMMddHHmmssSSS); a new
 * one is started when the newest is full. Each KEYS token (split on spaces) and the UNIQ_KEY of every record
 * except rolled-back ones is indexed under {@code topic#key}.
 *
 * <p>Thread contract: {@link #index} by the dispatcher only, {@link #flush} and {@link #deleteBelow} by
 * housekeeping, {@link #query} from any thread; the file array is republished whole on change.
 */
final class IndexService {
    private static final Logger log = LoggerFactory.getLogger(IndexService.class);

    private final Path dir;
    private final int slotNum;
    private final int maxIndexNum;
    private final LongSupplier clock;
    private volatile IndexFile[] files = new IndexFile[0];

    IndexService(Path dir, int slotNum, int maxIndexNum, LongSupplier clock) {
        this.dir = dir;
        this.slotNum = slotNum;
        this.maxIndexNum = maxIndexNum;
        this.clock = clock;
    }

    void load() throws IOException {
        Files.createDirectories(dir);
        List<Path> paths;
        try (Stream<Path> s = Files.list(dir)) {
            paths = s.filter(p -> p.getFileName().toString().matches("\\d{17}")).sorted().toList();
        }
        long expected = IndexFile.fileBytes(slotNum, maxIndexNum);
        List<IndexFile> loaded = new ArrayList<>();
        for (Path p : paths) {
            if (Files.size(p) != expected) {
                log.warn("index file {} does not match maxHashSlotNum/maxIndexNum; deleting it", p);
                Files.delete(p);
                continue;
            }
            loaded.add(IndexFile.open(p, slotNum, maxIndexNum));
        }
        files = loaded.toArray(new IndexFile[0]);
    }

    /** Commit-log offset of the newest indexed record, or -1. */
    long lastIndexedOffset() {
        IndexFile[] fs = files;
        for (int i = fs.length - 1; i >= 0; i--) {
            if (!fs[i].isEmpty()) {
                return fs[i].endPhyOffset();
            }
        }
        return -1;
    }

    /**
     * Recovery: deletes files holding entries at or beyond {@code commitLogEnd} (they may point at bytes that
     * were truncated). Returns the commit-log offset from which records must be indexed again, or -1.
     */
    long dropFrom(long commitLogEnd) throws IOException {
        IndexFile[] fs = files;
        int keep = fs.length;
        while (keep > 0 && (fs[keep - 1].isEmpty() || fs[keep - 1].endPhyOffset() >= commitLogEnd)) {
            keep--;
        }
        long from = -1;
        for (int i = keep; i < fs.length; i++) {
            if (!fs[i].isEmpty()) {
                from = from < 0 ? fs[i].beginPhyOffset() : Math.min(from, fs[i].beginPhyOffset());
                log.warn("recovery: index file {} reaches past the commit log end {}; rebuilding it",
                        fs[i].file().file(), commitLogEnd);
            }
            fs[i].file().delete();
        }
        files = Arrays.copyOf(fs, keep);
        return from;
    }

    /** Dispatcher: indexes one record. */
    void index(DispatchRecord r) throws IOException {
        if (MessageSysFlag.transactionType(r.sysFlag()) == MessageSysFlag.TRANSACTION_ROLLBACK_TYPE) {
            return;
        }
        if (r.keys() != null) {
            for (String k : r.keys().split(" ")) {
                if (!k.isEmpty()) {
                    put(r.topic() + '#' + k, r);
                }
            }
        }
        if (r.uniqKey() != null && !r.uniqKey().isEmpty()) {
            put(r.topic() + '#' + r.uniqKey(), r);
        }
    }

    private void put(String key, DispatchRecord r) throws IOException {
        IndexFile f = writable();
        if (!f.put(key, r.physicalOffset(), r.storeTimestamp())) {
            f = newFile();
            f.put(key, r.physicalOffset(), r.storeTimestamp());
        }
    }

    private IndexFile writable() throws IOException {
        IndexFile[] fs = files;
        if (fs.length == 0 || fs[fs.length - 1].isFull()) {
            return newFile();
        }
        return fs[fs.length - 1];
    }

    private synchronized IndexFile newFile() throws IOException {
        SimpleDateFormat format = new SimpleDateFormat("yyyyMMddHHmmssSSS");
        long t = clock.getAsLong();
        if (files.length > 0) {
            // names must sort in creation order even if the clock stepped back
            try {
                String last = files[files.length - 1].file().file().getFileName().toString();
                t = Math.max(t, format.parse(last).getTime() + 1);
            } catch (java.text.ParseException ignored) {
                // load() only keeps 17-digit names
            }
        }
        Path p = dir.resolve(format.format(new Date(t)));
        while (Files.exists(p)) {
            p = dir.resolve(format.format(new Date(++t)));
        }
        IndexFile f = IndexFile.open(p, slotNum, maxIndexNum);
        IndexFile[] fs = Arrays.copyOf(files, files.length + 1);
        fs[fs.length - 1] = f;
        files = fs;
        return f;
    }

    /** Offsets of records indexed under {@code topic#key} within the time range, newest files first. */
    List<Long> query(String topic, String key, int maxNum, long beginMs, long endMs) {
        List<Long> out = new ArrayList<>();
        IndexFile[] fs = files;
        String k = topic + '#' + key;
        for (int i = fs.length - 1; i >= 0 && out.size() < maxNum; i--) {
            fs[i].select(k, beginMs, endMs, maxNum, out);
        }
        return out;
    }

    long lastUpdateTimestamp() {
        IndexFile[] fs = files;
        return fs.length == 0 ? 0 : fs[fs.length - 1].endTimestamp();
    }

    long lastUpdatePhyOffset() {
        IndexFile[] fs = files;
        return fs.length == 0 ? 0 : fs[fs.length - 1].endPhyOffset();
    }

    void flush() throws IOException {
        for (IndexFile f : files) {
            if (!f.file().isDeleted() && !f.isSettled()) {
                f.flush();
            }
        }
    }

    /** Housekeeping: deletes all but the newest file when every entry points below {@code minPhyOffset}. */
    synchronized void deleteBelow(long minPhyOffset) throws IOException {
        IndexFile[] fs = files;
        int i = 0;
        while (i < fs.length - 1 && fs[i].endPhyOffset() < minPhyOffset) {
            i++;
        }
        if (i > 0) {
            files = Arrays.copyOfRange(fs, i, fs.length);
            for (int k = 0; k < i; k++) {
                log.info("retention: deleted index file {}", fs[k].file().file());
                fs[k].file().delete();
            }
        }
    }

    void close() {
        for (IndexFile f : files) {
            f.file().close();
        }
    }
}

package io.tern.store.impl;

import io.tern.common.message.MessageConst;
import io.tern.common.message.ParsedProperties;
import io.tern.common.message.StoredRecordLayout;
import io.tern.common.message.TagCodes;
import io.tern.store.GetResult;
import io.tern.store.MessageFilter;
import io.tern.store.MessageStore;
import io.tern.store.StoreConfig;
import io.tern.store.StoreMessage;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

/** Builders, an independent record decoder and waiting helpers for store tests. */
final class TestSupport {
    static final byte[] BORN_HOST = {10, 0, 0, 7};
    static final byte[] STORE_HOST = {127, 0, 0, 1};

    private TestSupport() {
    }

    /** Small everything, so tests cross segment, queue-file and index-file boundaries often. */
    static StoreConfig smallConfig(Path dir) {
        StoreConfig c = new StoreConfig(dir.toString());
        c.commitLogSegmentBytes = 64 * 1024;
        c.consumeQueueEntriesPerFile = 100;
        c.maxHashSlotNum = 64;
        c.maxIndexNum = 256;
        c.flushIntervalCommitLogMs = 20;
        c.flushCommitLogThoroughIntervalMs = 200;
        c.flushIntervalConsumeQueueMs = 50;
        c.diskCheckIntervalMs = 50;
        c.faultRetryIntervalMs = 20;
        c.maxMessageBytes = 16 * 1024;
        return c;
    }

    static StoreMessage message(String topic, int queueId, String body, String tags, String keys) {
        StoreMessage m = new StoreMessage();
        m.topic = topic;
        m.queueId = queueId;
        m.flag = 3;
        m.body = ByteBuffer.wrap(body.getBytes(StandardCharsets.UTF_8));
        Map<String, String> props = new LinkedHashMap<>();
        if (keys != null) {
            props.put(MessageConst.KEYS, keys);
        }
        if (tags != null) {
            props.put(MessageConst.TAGS, tags);
        }
        props.put(MessageConst.UNIQ_KEY, "UNIQ-" + body);
        m.withProperties(ParsedProperties.of(props));
        m.tagsCode = TagCodes.of(tags);
        m.bornTimestamp = 1_700_000_000_000L;
        m.bornHostAddress = BORN_HOST;
        m.bornHostPort = 40000;
        m.storeHostAddress = STORE_HOST;
        m.storeHostPort = 10911;
        m.reconsumeTimes = 2;
        m.preparedTransactionOffset = 0;
        return m;
    }

    static StoreMessage message(String topic, int queueId, String body) {
        return message(topic, queueId, body, null, null);
    }

    /** {@link RecordCodec#encode}d and written whole into a heap buffer of its size, as the writer writes it. */
    static ByteBuffer encodeWhole(StoreMessage m, int maxMessageBytes) throws RecordCodec.InvalidMessageException {
        StoredRecordLayout.Split split = RecordCodec.encode(m, maxMessageBytes);
        ByteBuffer whole = ByteBuffer.allocate(split.totalBytes());
        split.writeTo(whole, 0);
        return whole;
    }

    /** All fields of a stored record, read with the layout's owner (itself checked against captured bytes). */
    record Decoded(int totalSize, int magic, int bodyCrc, int queueId, int flag, long queueOffset, long physicalOffset,
                   int sysFlag, long bornTimestamp, byte[] bornHost, int bornPort, long storeTimestamp,
                   byte[] storeHost, int storePort, int reconsumeTimes, long preparedTxOffset, String body,
                   String topic, String properties) {
    }

    static Decoded decode(ByteBuffer record) {
        StoredRecordLayout.View v = new StoredRecordLayout.View();
        if (!v.wrap(record, record.position(), record.limit())
                || v.totalSize() != record.remaining()) {
            throw new AssertionError("not exactly one stored record: " + record);
        }
        return new Decoded(v.totalSize(), v.magic(), v.bodyCrc(), v.queueId(), v.flag(), v.queueOffset(),
                v.physicalOffset(), v.sysFlag(), v.bornTimestamp(), v.bornHostAddress(), v.bornHostPort(),
                v.storeTimestamp(), v.storeHostAddress(), v.storeHostPort(), v.reconsumeTimes(),
                v.preparedTransactionOffset(), StandardCharsets.UTF_8.decode(v.body()).toString(), v.topic(),
                v.properties());
    }

    static String body(ByteBuffer record) {
        return decode(record).body();
    }

    /** Every body in a queue from its min offset, in order. */
    static List<String> drain(MessageStore store, String topic, int queueId) {
        List<String> out = new ArrayList<>();
        long offset = store.minOffsetInQueue(topic, queueId);
        while (true) {
            GetResult r = store.get(topic, queueId, offset, 32, Integer.MAX_VALUE, MessageFilter.ALL);
            if (r.status() != GetResult.GetStatus.FOUND && r.status() != GetResult.GetStatus.NO_MATCHED_MESSAGE) {
                return out;
            }
            for (ByteBuffer m : r.messages()) {
                out.add(body(m));
            }
            offset = r.nextBeginOffset();
        }
    }

    static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(5);
        }
    }
}

package io.tern.broker.ha;

import io.tern.store.ArrivalListener;
import io.tern.store.GetResult;
import io.tern.store.MessageFilter;
import io.tern.store.MessageStore;
import io.tern.store.PutResult;
import io.tern.store.QueryResult;
import io.tern.store.ReplicaLog;
import io.tern.store.StoreMessage;
import io.tern.store.StoreStats;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/** A store that passes everything to another; subclasses change what a role changes about puts. */
abstract class ForwardingMessageStore implements MessageStore {
    protected final MessageStore delegate;

    ForwardingMessageStore(MessageStore delegate) {
        this.delegate = delegate;
    }

    @Override
    public void start() throws IOException {
        delegate.start();
    }

    @Override
    public void shutdown() {
        delegate.shutdown();
    }

    @Override
    public CompletableFuture<PutResult> put(StoreMessage message) {
        return delegate.put(message);
    }

    @Override
    public CompletableFuture<PutResult> putBatch(List<StoreMessage> messages) {
        return delegate.putBatch(messages);
    }

    @Override
    public GetResult get(String topic, int queueId, long offset, int maxMsgNums, int maxBytes, MessageFilter filter) {
        return delegate.get(topic, queueId, offset, maxMsgNums, maxBytes, filter);
    }

    @Override
    public long maxOffsetInQueue(String topic, int queueId) {
        return delegate.maxOffsetInQueue(topic, queueId);
    }

    @Override
    public long minOffsetInQueue(String topic, int queueId) {
        return delegate.minOffsetInQueue(topic, queueId);
    }

    @Override
    public long offsetInQueueByTime(String topic, int queueId, long timestamp) {
        return delegate.offsetInQueueByTime(topic, queueId, timestamp);
    }

    @Override
    public long earliestMessageTime(String topic, int queueId) {
        return delegate.earliestMessageTime(topic, queueId);
    }

    @Override
    public long storeTime(String topic, int queueId, long queueOffset) {
        return delegate.storeTime(topic, queueId, queueOffset);
    }

    @Override
    public ByteBuffer messageAt(long commitLogOffset) {
        return delegate.messageAt(commitLogOffset);
    }

    @Override
    public QueryResult query(String topic, String key, int maxNum, long beginTimestamp, long endTimestamp) {
        return delegate.query(topic, key, maxNum, beginTimestamp, endTimestamp);
    }

    @Override
    public void deleteTopic(String topic) {
        delegate.deleteTopic(topic);
    }

    @Override
    public void addArrivalListener(ArrivalListener listener) {
        delegate.addArrivalListener(listener);
    }

    @Override
    public boolean isWritable() {
        return delegate.isWritable();
    }

    @Override
    public String notWritableReason() {
        return delegate.notWritableReason();
    }

    @Override
    public StoreStats stats() {
        return delegate.stats();
    }

    @Override
    public ReplicaLog replicaLog() {
        return delegate.replicaLog();
    }
}

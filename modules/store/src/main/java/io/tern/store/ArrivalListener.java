package io.tern.store;

/** Told of each dispatched record; runs on the store's dispatch thread, so it must only hand off. */
@FunctionalInterface
public interface ArrivalListener {
    void onArrival(String topic, int queueId, long queueOffset, long tagsCode, long storeTimestamp);
}

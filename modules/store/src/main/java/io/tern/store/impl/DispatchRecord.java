package io.tern.store.impl;

/**
 * What the dispatcher needs of one stored record to write its consume-queue entry and index keys. Built by the
 * writer for live appends and by {@link RecordCodec#parse} when recovery re-reads the log. Immutable; handed
 * from the writer thread to the dispatcher.
 *
 * @param keys KEYS property (space-separated tokens) or null
 * @param uniqKey UNIQ_KEY property or null
 */
public record DispatchRecord(String topic, int queueId, long queueOffset, long physicalOffset, int sizeBytes,
                             long tagsCode, long storeTimestamp, int sysFlag, String keys, String uniqKey) {

    public long endOffset() {
        return physicalOffset + sizeBytes;
    }
}

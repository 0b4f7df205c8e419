package io.tern.store;

/** Outcome of a put; for a batch the offsets are those of each record in order. */
public record PutResult(PutStatus status, String remark, long[] physicalOffsets, long queueOffset,
                        long storeTimestamp, int wroteBytes) {

    public enum PutStatus {
        PUT_OK,
        /** Stored, but not on disk within syncFlushTimeout. */
        FLUSH_DISK_TIMEOUT,
        FLUSH_SLAVE_TIMEOUT,
        SLAVE_NOT_AVAILABLE,
        /** Store not writable: disk full, I/O error, shutting down. */
        SERVICE_NOT_AVAILABLE,
        /** Body over maxMessageBytes, topic too long, malformed. */
        MESSAGE_ILLEGAL,
        PROPERTIES_SIZE_EXCEEDED,
        UNKNOWN_ERROR
    }

    public static PutResult failure(PutStatus status, String remark) {
        return new PutResult(status, remark, new long[0], -1, 0, 0);
    }

    public boolean isStored() {
        return status == PutStatus.PUT_OK || status == PutStatus.FLUSH_DISK_TIMEOUT
                || status == PutStatus.FLUSH_SLAVE_TIMEOUT || status == PutStatus.SLAVE_NOT_AVAILABLE;
    }

    public long physicalOffset() {
        return physicalOffsets.length == 0 ? -1 : physicalOffsets[0];
    }
}

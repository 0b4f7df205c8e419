package io.tern.store;

import java.nio.ByteBuffer;
import java.util.List;

/**
 * Outcome of a read from a consume queue. {@code messages} are read-only views of whole stored records in
 * queue order; they stay valid after the segment is deleted (the store never unmaps memory a view may use).
 */
public record GetResult(GetStatus status, long nextBeginOffset, long minOffset, long maxOffset,
                        List<ByteBuffer> messages, int totalBytes) {

    /** Same names as RocketMQ's GetMessageStatus: the broker copies the name into the pull response remark. */
    public enum GetStatus {
        FOUND,
        NO_MATCHED_MESSAGE,
        MESSAGE_WAS_REMOVING,
        OFFSET_FOUND_NULL,
        OFFSET_OVERFLOW_BADLY,
        OFFSET_OVERFLOW_ONE,
        OFFSET_TOO_SMALL,
        NO_MATCHED_LOGIC_QUEUE,
        NO_MESSAGE_IN_QUEUE
    }
}

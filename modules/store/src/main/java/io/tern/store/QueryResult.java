package io.tern.store;

import java.nio.ByteBuffer;
import java.util.List;

/** Records found by an index query, with the index position reported by QUERY_MESSAGE. */
public record QueryResult(List<ByteBuffer> messages, long indexLastUpdateTimestamp, long indexLastUpdatePhyoffset) {
}

package io.tern.store;

import java.nio.ByteBuffer;

/** Decides which consume-queue entries a pull returns. */
public interface MessageFilter {
    MessageFilter ALL = tagsCode -> true;

    /** First, cheap test on the consume-queue entry. */
    boolean matchesTagsCode(long tagsCode);

    /** Second test on the stored record (SQL92 property filters); only called when the first passed. */
    default boolean matchesRecord(ByteBuffer record) {
        return true;
    }
}

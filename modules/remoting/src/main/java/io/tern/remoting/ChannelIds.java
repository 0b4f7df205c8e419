package io.tern.remoting;

import java.util.concurrent.atomic.AtomicLong;

/** One id sequence for every {@link RemotingChannel} of the JVM, so registries keyed by channel id never mix two. */
final class ChannelIds {
    private static final AtomicLong NEXT = new AtomicLong();

    private ChannelIds() {
    }

    static long next() {
        return NEXT.incrementAndGet();
    }
}

package io.tern.client.impl;

import io.tern.common.message.MessageIds;
import java.nio.ByteBuffer;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Makes UNIQ_KEY values in the official client's layout (spec 5.4.2), so tools that read the embedded time work:
 *
 * <pre>
 *  0        4     6                10                   14        16
 *  +--------+-----+----------------+--------------------+---------+
 *  | ip (4) | pid | class-loader   | ms since the start | counter |
 *  |        | (2) | hash (4)       | of the month (4)   | (2)     |
 *  +--------+-----+----------------+--------------------+---------+
 * </pre>
 *
 * Upper-case hex, 32 characters. Thread-safe.
 */
final class UniqueIdGenerator {
    private static final AtomicInteger COUNTER = new AtomicInteger();

    private final byte[] prefix;
    private volatile long monthStartMs;
    private volatile long nextMonthStartMs;

    UniqueIdGenerator(byte[] ipv4) {
        ByteBuffer b = ByteBuffer.allocate(10);
        b.put(ipv4, 0, 4);
        b.putShort((short) ProcessHandle.current().pid());
        b.putInt(UniqueIdGenerator.class.getClassLoader().hashCode());
        this.prefix = b.array();
        computeMonth(System.currentTimeMillis());
    }

    String next() {
        long now = System.currentTimeMillis();
        if (now >= nextMonthStartMs) {
            computeMonth(now);
        }
        ByteBuffer b = ByteBuffer.allocate(16);
        b.put(prefix);
        b.putInt((int) (now - monthStartMs));
        b.putShort((short) COUNTER.getAndIncrement());
        return MessageIds.hex(b.array());
    }

    private synchronized void computeMonth(long nowMs) {
        ZoneId zone = ZoneId.systemDefault();
        LocalDate first = LocalDate.ofInstant(java.time.Instant.ofEpochMilli(nowMs), zone).withDayOfMonth(1);
        monthStartMs = first.atStartOfDay(zone).toInstant().toEpochMilli();
        nextMonthStartMs = first.plusMonths(1).atStartOfDay(zone).toInstant().toEpochMilli();
    }
}

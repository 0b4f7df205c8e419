package io.tern.common.protocol;

import java.util.Objects;

/** Version of a broker's topic set (spec 4.2.1); a change makes the nameserver take the new topic table. */
public final class DataVersion {
    public long timestamp = System.currentTimeMillis();
    public long counter;

    public synchronized void next() {
        timestamp = System.currentTimeMillis();
        counter++;
    }

    public synchronized DataVersion copy() {
        DataVersion v = new DataVersion();
        v.timestamp = timestamp;
        v.counter = counter;
        return v;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DataVersion d && d.timestamp == timestamp && d.counter == counter;
    }

    @Override
    public int hashCode() {
        return Objects.hash(timestamp, counter);
    }

    @Override
    public String toString() {
        return "DataVersion[counter=" + counter + ", timestamp=" + timestamp + "]";
    }
}

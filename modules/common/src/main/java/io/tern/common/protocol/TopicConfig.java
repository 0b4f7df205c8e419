package io.tern.common.protocol;

/** A topic's queue layout and permissions (spec 4.2.2); JSON field names are the wire names. */
public final class TopicConfig {
    public static final String SINGLE_TAG = "SINGLE_TAG";
    public static final String MULTI_TAG = "MULTI_TAG";

    public String topicName;
    public int readQueueNums = 16;
    public int writeQueueNums = 16;
    public int perm = PermName.PERM_READ | PermName.PERM_WRITE;
    public String topicFilterType = SINGLE_TAG;
    public int topicSysFlag;
    public boolean order;

    public TopicConfig() {
    }

    public TopicConfig(String topicName, int readQueueNums, int writeQueueNums, int perm) {
        this.topicName = topicName;
        this.readQueueNums = readQueueNums;
        this.writeQueueNums = writeQueueNums;
        this.perm = perm;
    }

    public TopicConfig copy() {
        TopicConfig c = new TopicConfig(topicName, readQueueNums, writeQueueNums, perm);
        c.topicFilterType = topicFilterType;
        c.topicSysFlag = topicSysFlag;
        c.order = order;
        return c;
    }

    /**
     * Built without {@code +}: the broker logs this on an event loop when the first topic is created, and the first
     * run of a concatenation of this shape spins 11 lambda forms, ~11 ms on the way to a usable route
     * (src-docs/performance-notes.md, change 32).
     */
    @Override
    public String toString() {
        return new StringBuilder(48).append("TopicConfig[").append(topicName).append(" r=").append(readQueueNums)
                .append(" w=").append(writeQueueNums).append(" perm=").append(perm).append(']').toString();
    }
}

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

    @Override
    public String toString() {
        return "TopicConfig[" + topicName + " r=" + readQueueNums + " w=" + writeQueueNums + " perm=" + perm + "]";
    }
}

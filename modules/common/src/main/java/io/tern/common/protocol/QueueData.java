package io.tern.common.protocol;

/** One broker's queues of a topic, in a route (spec 4.1). */
public final class QueueData {
    public String brokerName;
    public int readQueueNums;
    public int writeQueueNums;
    public int perm;
    public int topicSysFlag;

    public QueueData() {
    }

    public QueueData(String brokerName, int readQueueNums, int writeQueueNums, int perm, int topicSysFlag) {
        this.brokerName = brokerName;
        this.readQueueNums = readQueueNums;
        this.writeQueueNums = writeQueueNums;
        this.perm = perm;
        this.topicSysFlag = topicSysFlag;
    }
}

package io.tern.common.protocol;

import java.util.Objects;

/** A queue of a topic on a broker (spec 4.2.5). */
public final class MessageQueue implements Comparable<MessageQueue> {
    public String topic;
    public String brokerName;
    public int queueId;

    public MessageQueue() {
    }

    public MessageQueue(String topic, String brokerName, int queueId) {
        this.topic = topic;
        this.brokerName = brokerName;
        this.queueId = queueId;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof MessageQueue m && m.queueId == queueId && Objects.equals(m.topic, topic)
                && Objects.equals(m.brokerName, brokerName);
    }

    @Override
    public int hashCode() {
        return Objects.hash(topic, brokerName, queueId);
    }

    @Override
    public int compareTo(MessageQueue o) {
        int c = topic.compareTo(o.topic);
        if (c == 0) {
            c = brokerName.compareTo(o.brokerName);
        }
        return c != 0 ? c : Integer.compare(queueId, o.queueId);
    }

    @Override
    public String toString() {
        return "MessageQueue[topic=" + topic + ", brokerName=" + brokerName + ", queueId=" + queueId + "]";
    }
}

package io.tern.cli;

import io.tern.common.protocol.MessageQueue;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The admin bodies the CLI reads and writes (spec 4.2.7–4.2.11), declared here so the CLI depends on the wire
 * format only, never on broker classes. MessageQueue map keys arrive as stringified JSON and are parsed back by
 * {@link io.tern.common.Json}.
 */
public final class Bodies {
    private Bodies() {
    }

    public static final class TopicList {
        public List<String> topicList = new ArrayList<>();
        public String brokerAddr;
    }

    public static final class ResetOffsetBody {
        public Map<MessageQueue, Long> offsetTable = new TreeMap<>();
    }

    /** UPDATE_AND_CREATE_SUBSCRIPTIONGROUP body with the reference defaults. */
    public static final class SubscriptionGroupConfig {
        public String groupName;
        public boolean consumeEnable = true;
        public boolean consumeFromMinEnable = true;
        public boolean consumeBroadcastEnable = true;
        public int retryQueueNums = 1;
        public int retryMaxTimes = 16;
        public long brokerId = 0;
        public long whichBrokerWhenConsumeSlowly = 1;
        public boolean notifyConsumerIdsChangedEnable = true;
    }
}

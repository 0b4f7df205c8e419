package io.tern.common.protocol;

/** Well-known topics, groups and prefixes (spec 6.9). */
public final class SystemNames {
    public static final String DEFAULT_TOPIC = "TBW102";
    public static final String BENCHMARK_TOPIC = "BenchmarkTest";
    public static final String SELF_TEST_TOPIC = "SELF_TEST_TOPIC";
    public static final String OFFSET_MOVED_EVENT = "OFFSET_MOVED_EVENT";
    public static final String SCHEDULE_TOPIC = "SCHEDULE_TOPIC_XXXX";
    public static final String TRANS_HALF_TOPIC = "RMQ_SYS_TRANS_HALF_TOPIC";
    public static final String TRANS_OP_HALF_TOPIC = "RMQ_SYS_TRANS_OP_HALF_TOPIC";
    public static final String TRANS_CHECK_MAX_TIME_TOPIC = "TRANS_CHECK_MAX_TIME_TOPIC";
    public static final String TRACE_TOPIC = "RMQ_SYS_TRACE_TOPIC";
    public static final String REPLY_TOPIC_SUFFIX = "_REPLY_TOPIC";
    public static final String SYSTEM_TOPIC_PREFIX = "rmq_sys_";
    /** Timer messages wait here (queue 0) until the timer wheel delivers them (RocketMQ 5's name). */
    public static final String TIMER_TOPIC = "rmq_sys_wheel_timer";

    public static final String RETRY_GROUP_TOPIC_PREFIX = "%RETRY%";
    public static final String DLQ_GROUP_TOPIC_PREFIX = "%DLQ%";

    public static final String CLIENT_INNER_PRODUCER_GROUP = "CLIENT_INNER_PRODUCER";
    public static final String TOOLS_CONSUMER_GROUP = "TOOLS_CONSUMER";
    public static final String TRANS_CHECK_GROUP = "CID_RMQ_SYS_TRANS";

    public static final String DEFAULT_CLUSTER = "DefaultCluster";
    public static final String DEFAULT_REGION = "DefaultRegion";

    public static String retryTopic(String group) {
        return RETRY_GROUP_TOPIC_PREFIX + group;
    }

    public static String dlqTopic(String group) {
        return DLQ_GROUP_TOPIC_PREFIX + group;
    }

    public static boolean isRetryTopic(String topic) {
        return topic.startsWith(RETRY_GROUP_TOPIC_PREFIX);
    }

    public static boolean isDlqTopic(String topic) {
        return topic.startsWith(DLQ_GROUP_TOPIC_PREFIX);
    }

    private SystemNames() {
    }
}

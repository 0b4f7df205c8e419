package io.tern.common.protocol;

import java.util.LinkedHashSet;
import java.util.Set;

/** A consumer group entry of a heartbeat (spec 4.2.4). Enum values stay strings: newer clients add values. */
public final class ConsumerData {
    public static final String CONSUME_ACTIVELY = "CONSUME_ACTIVELY";
    public static final String CONSUME_PASSIVELY = "CONSUME_PASSIVELY";
    public static final String CLUSTERING = "CLUSTERING";
    public static final String BROADCASTING = "BROADCASTING";

    public String groupName;
    public String consumeType;
    public String messageModel;
    public String consumeFromWhere;
    public Set<SubscriptionData> subscriptionDataSet = new LinkedHashSet<>();
    public boolean unitMode;
}

package io.tern.broker.config;

/** A consumer group's settings (spec 4.2.11); JSON field names are the wire names. */
public final class SubscriptionGroupConfig {
    public String groupName;
    public boolean consumeEnable = true;
    public boolean consumeFromMinEnable = true;
    public boolean consumeBroadcastEnable = true;
    public int retryQueueNums = 1;
    public int retryMaxTimes = 16;
    public long brokerId = 0;
    public long whichBrokerWhenConsumeSlowly = 1;
    public boolean notifyConsumerIdsChangedEnable = true;

    public SubscriptionGroupConfig() {
    }

    public SubscriptionGroupConfig(String groupName) {
        this.groupName = groupName;
    }
}

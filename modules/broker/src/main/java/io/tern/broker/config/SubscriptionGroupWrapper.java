package io.tern.broker.config;

import io.tern.common.protocol.DataVersion;
import java.util.Map;
import java.util.TreeMap;

/** config/subscriptionGroup.json and the GET_ALL_SUBSCRIPTIONGROUP_CONFIG body (spec 4.2.11). */
public final class SubscriptionGroupWrapper {
    public Map<String, SubscriptionGroupConfig> subscriptionGroupTable = new TreeMap<>();
    public DataVersion dataVersion = new DataVersion();
}

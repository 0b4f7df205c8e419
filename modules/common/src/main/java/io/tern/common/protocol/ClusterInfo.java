package io.tern.common.protocol;

import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/** GET_BROKER_CLUSTER_INFO body (spec 4.2.6). */
public final class ClusterInfo {
    public Map<String, BrokerData> brokerAddrTable = new TreeMap<>();
    public Map<String, Set<String>> clusterAddrTable = new TreeMap<>();
}

package io.tern.common.protocol;

import java.util.TreeMap;

/** A logical broker and its addresses by broker id, 0 = master (spec 4.1). */
public final class BrokerData {
    public String cluster;
    public String brokerName;
    public TreeMap<Long, String> brokerAddrs = new TreeMap<>();

    public BrokerData() {
    }

    public BrokerData(String cluster, String brokerName) {
        this.cluster = cluster;
        this.brokerName = brokerName;
    }

    public BrokerData copy() {
        BrokerData b = new BrokerData(cluster, brokerName);
        b.brokerAddrs = new TreeMap<>(brokerAddrs);
        return b;
    }
}

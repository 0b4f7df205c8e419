package io.tern.nameserver.route;

import io.tern.common.protocol.BrokerData;
import io.tern.common.protocol.ClusterInfo;
import io.tern.common.protocol.DataVersion;
import io.tern.common.protocol.PermName;
import io.tern.common.protocol.QueueData;
import io.tern.common.protocol.TopicConfig;
import io.tern.common.protocol.TopicRouteData;
import io.tern.nameserver.body.TopicList;
import io.tern.remoting.RemotingChannel;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.IntPredicate;
import java.util.function.IntUnaryOperator;
import java.util.function.LongSupplier;
import java.util.function.Predicate;

/**
 * The nameserver's route tables with RocketMQ's RouteInfoManager semantics (spec 3.2.1):
 * <pre>
 *   clusterAddrTable   cluster    → {brokerName}
 *   brokerAddrTable    brokerName → BrokerData{cluster, brokerName, brokerId → addr}
 *   topicQueueTable    topic      → brokerName → QueueData   (only from master registrations)
 *   brokerLiveTable    brokerAddr → BrokerLiveInfo{last update, dataVersion, connection, haServerAddr}
 *   filterServerTable  brokerAddr → [filter server addr]
 * </pre>
 * A broker address dies when it unregisters, expires or its connection closes; a broker name whose last address
 * died loses its queue data in every topic, and a topic without queue data disappears.
 *
 * <p>Thread-safe: every event loop of the nameserver calls in; one read-write lock guards all tables. Operations
 * are in-memory and short. Returned objects are copies.
 */
public final class RouteRegistry {
    /** topicSysFlag bits (spec 4.1). */
    static final int FLAG_UNIT = 0x1;
    static final int FLAG_UNIT_SUB = 0x2;
    static final long MASTER_ID = 0;

    private final Map<String, Set<String>> clusterAddrTable = new HashMap<>();
    private final Map<String, BrokerData> brokerAddrTable = new HashMap<>();
    private final Map<String, Map<String, QueueData>> topicQueueTable = new HashMap<>();
    private final Map<String, BrokerLiveInfo> brokerLiveTable = new HashMap<>();
    private final Map<String, List<String>> filterServerTable = new HashMap<>();
    private final ReadWriteLock lock = new ReentrantReadWriteLock();
    private final Lock read = lock.readLock();
    private final Lock write = lock.writeLock();
    private final LongSupplier clockMs;

    public RouteRegistry() {
        this(System::currentTimeMillis);
    }

    RouteRegistry(LongSupplier clockMs) {
        this.clockMs = clockMs;
    }

    // ---- registration ---------------------------------------------------------------------------------------

    public RegisterResult register(BrokerRegistration r) {
        write.lock();
        try {
            clusterAddrTable.computeIfAbsent(r.clusterName(), k -> new TreeSet<>()).add(r.brokerName());

            BrokerData brokerData = brokerAddrTable.get(r.brokerName());
            boolean firstRegistration = brokerData == null;
            if (brokerData == null) {
                brokerData = new BrokerData(r.clusterName(), r.brokerName());
                brokerAddrTable.put(r.brokerName(), brokerData);
            }
            // the same address under another id: a slave was promoted (or a master demoted); drop the old entry
            brokerData.brokerAddrs.entrySet().removeIf(e -> r.brokerAddr().equals(e.getValue())
                    && e.getKey() != r.brokerId());
            String oldAddr = brokerData.brokerAddrs.put(r.brokerId(), r.brokerAddr());
            firstRegistration |= oldAddr == null;

            DataVersion version = r.topicConfigs().dataVersion;
            if (r.brokerId() == MASTER_ID && (firstRegistration || topicConfigChanged(r.brokerAddr(), version))) {
                for (Map.Entry<String, TopicConfig> e : r.topicConfigs().topicConfigTable.entrySet()) {
                    TopicConfig tc = e.getValue();
                    if (tc != null) {
                        String topic = tc.topicName != null ? tc.topicName : e.getKey();
                        topicQueueTable.computeIfAbsent(topic, k -> new TreeMap<>()).put(r.brokerName(),
                                new QueueData(r.brokerName(), tc.readQueueNums, tc.writeQueueNums, tc.perm,
                                        tc.topicSysFlag));
                    }
                }
            }
            brokerLiveTable.put(r.brokerAddr(), new BrokerLiveInfo(r, version.copy(), clockMs.getAsLong()));

            if (r.filterServerList() == null || r.filterServerList().isEmpty()) {
                filterServerTable.remove(r.brokerAddr());
            } else {
                filterServerTable.put(r.brokerAddr(), List.copyOf(r.filterServerList()));
            }

            if (r.brokerId() != MASTER_ID) {
                String masterAddr = brokerData.brokerAddrs.get(MASTER_ID);
                BrokerLiveInfo master = masterAddr == null ? null : brokerLiveTable.get(masterAddr);
                if (master != null) {
                    return new RegisterResult(masterAddr, master.haServerAddr);
                }
            }
            return new RegisterResult(null, null);
        } finally {
            write.unlock();
        }
    }

    public void unregister(String clusterName, String brokerAddr, String brokerName, long brokerId) {
        write.lock();
        try {
            brokerLiveTable.remove(brokerAddr);
            filterServerTable.remove(brokerAddr);
            BrokerData brokerData = brokerAddrTable.get(brokerName);
            if (brokerData == null) {
                return;
            }
            brokerData.brokerAddrs.remove(brokerId);
            if (brokerData.brokerAddrs.isEmpty()) {
                brokerAddrTable.remove(brokerName);
                removeBrokerName(clusterName, brokerName);
            }
        } finally {
            write.unlock();
        }
    }

    /** True when the address is unknown or registered with another data version. */
    public boolean isTopicConfigChanged(String brokerAddr, DataVersion version) {
        read.lock();
        try {
            return topicConfigChanged(brokerAddr, version);
        } finally {
            read.unlock();
        }
    }

    /** Refreshes the liveness of a known address (QUERY_DATA_VERSION with an unchanged version). */
    public void touch(String brokerAddr) {
        write.lock();
        try {
            BrokerLiveInfo live = brokerLiveTable.get(brokerAddr);
            if (live != null) {
                live.lastUpdateMs = clockMs.getAsLong();
            }
        } finally {
            write.unlock();
        }
    }

    /** The data version the address last registered with, or null. */
    public DataVersion dataVersionOf(String brokerAddr) {
        read.lock();
        try {
            BrokerLiveInfo live = brokerLiveTable.get(brokerAddr);
            return live == null ? null : live.dataVersion.copy();
        } finally {
            read.unlock();
        }
    }

    /** The channel the address last registered over (a TCP connection, or an in-process channel), or null. */
    public RemotingChannel registeredOver(String brokerAddr) {
        read.lock();
        try {
            BrokerLiveInfo live = brokerLiveTable.get(brokerAddr);
            return live == null ? null : live.connection;
        } finally {
            read.unlock();
        }
    }

    // ---- death ----------------------------------------------------------------------------------------------

    /** Removes every address that registered over {@code connection}; returns them. */
    public List<String> onConnectionClosed(RemotingChannel connection) {
        return removeLive(live -> live.connection != null && live.connection.id() == connection.id());
    }

    /** Removes every address without a registration within its timeout; returns what was removed. */
    public List<BrokerLiveInfo> expire(long defaultTimeoutMs) {
        long now = clockMs.getAsLong();
        List<BrokerLiveInfo> expired = new ArrayList<>();
        write.lock();
        try {
            for (BrokerLiveInfo live : brokerLiveTable.values()) {
                if (live.expired(now, defaultTimeoutMs)) {
                    expired.add(live);
                }
            }
            for (BrokerLiveInfo live : expired) {
                removeAddress(live.brokerAddr);
            }
        } finally {
            write.unlock();
        }
        return expired;
    }

    private List<String> removeLive(Predicate<BrokerLiveInfo> dead) {
        write.lock();
        try {
            List<String> addrs = new ArrayList<>();
            for (BrokerLiveInfo live : brokerLiveTable.values()) {
                if (dead.test(live)) {
                    addrs.add(live.brokerAddr);
                }
            }
            addrs.forEach(this::removeAddress);
            return addrs;
        } finally {
            write.unlock();
        }
    }

    /** Caller holds the write lock. */
    private void removeAddress(String brokerAddr) {
        brokerLiveTable.remove(brokerAddr);
        filterServerTable.remove(brokerAddr);
        Iterator<BrokerData> it = brokerAddrTable.values().iterator();
        List<BrokerData> emptied = new ArrayList<>();
        while (it.hasNext()) {
            BrokerData bd = it.next();
            bd.brokerAddrs.values().removeIf(brokerAddr::equals);
            if (bd.brokerAddrs.isEmpty()) {
                it.remove();
                emptied.add(bd);
            }
        }
        for (BrokerData bd : emptied) {
            removeBrokerName(bd.cluster, bd.brokerName);
        }
    }

    /** Caller holds the write lock: the broker name has no address left. */
    private void removeBrokerName(String clusterName, String brokerName) {
        Set<String> names = clusterAddrTable.get(clusterName);
        if (names != null) {
            names.remove(brokerName);
            if (names.isEmpty()) {
                clusterAddrTable.remove(clusterName);
            }
        }
        Iterator<Map<String, QueueData>> it = topicQueueTable.values().iterator();
        while (it.hasNext()) {
            Map<String, QueueData> queues = it.next();
            queues.remove(brokerName);
            if (queues.isEmpty()) {
                it.remove();
            }
        }
    }

    private boolean topicConfigChanged(String brokerAddr, DataVersion version) {
        BrokerLiveInfo live = brokerLiveTable.get(brokerAddr);
        return live == null || !live.dataVersion.equals(version);
    }

    // ---- queries --------------------------------------------------------------------------------------------

    /** The route of a topic, or null when it has no queue data or none of its brokers is alive (spec 3.2.4). */
    public TopicRouteData routeOf(String topic) {
        read.lock();
        try {
            Map<String, QueueData> queues = topicQueueTable.get(topic);
            if (queues == null || queues.isEmpty()) {
                return null;
            }
            TopicRouteData route = new TopicRouteData();
            for (QueueData q : queues.values()) {
                route.queueDatas.add(copy(q));
                BrokerData bd = brokerAddrTable.get(q.brokerName);
                if (bd != null) {
                    route.brokerDatas.add(bd.copy());
                    for (String addr : bd.brokerAddrs.values()) {
                        List<String> filters = filterServerTable.get(addr);
                        if (filters != null) {
                            route.filterServerTable.put(addr, filters);
                        }
                    }
                }
            }
            return route.brokerDatas.isEmpty() ? null : route;
        } finally {
            read.unlock();
        }
    }

    public ClusterInfo clusterInfo() {
        read.lock();
        try {
            ClusterInfo info = new ClusterInfo();
            brokerAddrTable.forEach((name, bd) -> info.brokerAddrTable.put(name, bd.copy()));
            clusterAddrTable.forEach((cluster, names) -> info.clusterAddrTable.put(cluster, new TreeSet<>(names)));
            return info;
        } finally {
            read.unlock();
        }
    }

    public TopicList allTopics() {
        read.lock();
        try {
            TopicList list = new TopicList();
            list.topicList.addAll(topicQueueTable.keySet());
            return list;
        } finally {
            read.unlock();
        }
    }

    /** Topics with queues on at least one broker of the cluster. */
    public TopicList topicsOfCluster(String cluster) {
        read.lock();
        try {
            TopicList list = new TopicList();
            Set<String> names = clusterAddrTable.getOrDefault(cluster, Set.of());
            topicQueueTable.forEach((topic, queues) -> {
                if (queues.keySet().stream().anyMatch(names::contains)) {
                    list.topicList.add(topic);
                }
            });
            return list;
        } finally {
            read.unlock();
        }
    }

    /** Cluster names and broker names (the topics brokers create after them), with one broker address. */
    public TopicList systemTopics() {
        read.lock();
        try {
            TopicList list = new TopicList();
            clusterAddrTable.forEach((cluster, names) -> {
                list.topicList.add(cluster);
                list.topicList.addAll(names);
            });
            brokerAddrTable.values().stream().filter(bd -> !bd.brokerAddrs.isEmpty()).findFirst()
                    .ifPresent(bd -> list.brokerAddr = bd.brokerAddrs.firstEntry().getValue());
            return list;
        } finally {
            read.unlock();
        }
    }

    /** Topics whose first queue data has the unit flag (311). */
    public TopicList unitTopics() {
        return topicsWhere(flag -> (flag & FLAG_UNIT) != 0);
    }

    /** Topics with a unit subscription (312). */
    public TopicList hasUnitSubTopics() {
        return topicsWhere(flag -> (flag & FLAG_UNIT_SUB) != 0);
    }

    /** Non-unit topics with a unit subscription (313). */
    public TopicList hasUnitSubUnUnitTopics() {
        return topicsWhere(flag -> (flag & FLAG_UNIT) == 0 && (flag & FLAG_UNIT_SUB) != 0);
    }

    private TopicList topicsWhere(IntPredicate sysFlagTest) {
        read.lock();
        try {
            TopicList list = new TopicList();
            topicQueueTable.forEach((topic, queues) -> {
                if (!queues.isEmpty() && sysFlagTest.test(queues.values().iterator().next().topicSysFlag)) {
                    list.topicList.add(topic);
                }
            });
            return list;
        } finally {
            read.unlock();
        }
    }

    // ---- admin changes --------------------------------------------------------------------------------------

    public void deleteTopic(String topic) {
        write.lock();
        try {
            topicQueueTable.remove(topic);
        } finally {
            write.unlock();
        }
    }

    /** Removes the topic's queue data of the cluster's brokers only. */
    public void deleteTopic(String topic, String clusterName) {
        write.lock();
        try {
            Set<String> names = clusterAddrTable.get(clusterName);
            Map<String, QueueData> queues = topicQueueTable.get(topic);
            if (names == null || queues == null) {
                return;
            }
            queues.keySet().removeAll(names);
            if (queues.isEmpty()) {
                topicQueueTable.remove(topic);
            }
        } finally {
            write.unlock();
        }
    }

    /** Clears the WRITE bit of the broker's queue data in every topic; returns the number of topics touched. */
    public int wipeWritePerm(String brokerName) {
        return changePerm(brokerName, perm -> perm & ~PermName.PERM_WRITE);
    }

    /** Sets the WRITE bit again; returns the number of topics touched. */
    public int addWritePerm(String brokerName) {
        return changePerm(brokerName, perm -> perm | PermName.PERM_WRITE);
    }

    private int changePerm(String brokerName, IntUnaryOperator change) {
        write.lock();
        try {
            int topics = 0;
            for (Map<String, QueueData> queues : topicQueueTable.values()) {
                QueueData q = queues.get(brokerName);
                if (q != null) {
                    q.perm = change.applyAsInt(q.perm);
                    topics++;
                }
            }
            return topics;
        } finally {
            write.unlock();
        }
    }

    private static QueueData copy(QueueData q) {
        return new QueueData(q.brokerName, q.readQueueNums, q.writeQueueNums, q.perm, q.topicSysFlag);
    }
}

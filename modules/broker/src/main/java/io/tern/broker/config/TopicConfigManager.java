package io.tern.broker.config;

import io.tern.broker.BrokerConfig;
import io.tern.common.Json;
import io.tern.common.protocol.DataVersion;
import io.tern.common.protocol.PermName;
import io.tern.common.protocol.SystemNames;
import io.tern.common.protocol.TopicConfig;
import io.tern.common.protocol.TopicConfigSerializeWrapper;
import java.io.IOException;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.List;
import java.util.ArrayList;
import java.util.function.Supplier;
import io.vertx.core.Future;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The broker's topics: system topics (spec 6.9), topics created by admins, auto-created on send from the default
 * topic (spec 3.2.4 step 4), and %RETRY%/%DLQ% topics. Persisted as {@code config/topics.json}
 * ({@link TopicConfigSerializeWrapper}). Every change bumps the {@link DataVersion}, schedules a persist and tells
 * the change listeners (the nameserver registrar re-registers at once).
 *
 * <p>Thread-safe: reads are lock-free; changes are serialized on this object.
 */
public final class TopicConfigManager {
    private static final Logger LOG = LoggerFactory.getLogger(TopicConfigManager.class);
    private static final int PERM_RW = PermName.PERM_READ | PermName.PERM_WRITE;
    private static final int PERM_RWI = PERM_RW | PermName.PERM_INHERIT;

    private final BrokerConfig config;
    private final Map<String, TopicConfig> topics = new ConcurrentHashMap<>();
    private final DataVersion dataVersion = new DataVersion();
    private final List<Supplier<Future<Void>>> changeListeners = new CopyOnWriteArrayList<>();
    private volatile ConfigPersister persister;

    public TopicConfigManager(BrokerConfig config) {
        this.config = config;
        createSystemTopics();
    }

    private void createSystemTopics() {
        if (config.autoCreateTopicEnable) {
            put(new TopicConfig(SystemNames.DEFAULT_TOPIC, config.defaultTopicQueueNums, config.defaultTopicQueueNums,
                    PERM_RWI));
        }
        put(new TopicConfig(SystemNames.SELF_TEST_TOPIC, 1, 1, PERM_RW));
        put(new TopicConfig(SystemNames.BENCHMARK_TOPIC, 1024, 1024, PERM_RW));
        if (config.clusterTopicEnable) {
            put(new TopicConfig(config.clusterName, 16, 16, config.brokerPermission | PermName.PERM_INHERIT));
        }
        if (config.brokerTopicEnable) {
            put(new TopicConfig(config.brokerName, 1, 1, config.brokerPermission | PermName.PERM_INHERIT));
        }
        put(new TopicConfig(SystemNames.OFFSET_MOVED_EVENT, 1, 1, PERM_RW));
        put(new TopicConfig(SystemNames.SCHEDULE_TOPIC, 18, 18, PERM_RW));
        put(new TopicConfig(config.clusterName + SystemNames.REPLY_TOPIC_SUFFIX, 1, 1, PERM_RW));
        put(new TopicConfig(SystemNames.TRANS_HALF_TOPIC, 1, 1, PERM_RW));
        put(new TopicConfig(SystemNames.TRANS_OP_HALF_TOPIC, 1, 1, PERM_RW));
        if (config.store.timerWheelEnable) {
            put(new TopicConfig(SystemNames.TIMER_TOPIC, 1, 1, PERM_RW));
        }
        if (config.traceTopicEnable || config.brokerTraceEnable) {
            put(new TopicConfig(config.msgTraceTopicName, 1, 1, PERM_RW));
        }
    }

    private void put(TopicConfig tc) {
        topics.put(tc.topicName, tc);
    }

    /** Loads config/topics.json (blocking; at startup) and enables persistence through {@code persister}. */
    public void load(ConfigFile file) throws IOException {
        byte[] bytes = file.read();
        if (bytes != null) {
            TopicConfigSerializeWrapper w = Json.fromBytes(bytes, TopicConfigSerializeWrapper.class);
            if (w.topicConfigTable != null) {
                for (TopicConfig tc : w.topicConfigTable.values()) {
                    if (tc != null && tc.topicName != null) {
                        topics.put(tc.topicName, tc);
                    }
                }
            }
            if (w.dataVersion != null) {
                synchronized (dataVersion) {
                    dataVersion.counter = w.dataVersion.counter;
                }
            }
            LOG.info("loaded {} topics from {}", topics.size(), file.path());
        }
        // a fresh timestamp marks this run, so the nameserver takes our table even with an equal counter
        dataVersion.next();
    }

    public void persister(ConfigPersister persister) {
        this.persister = persister;
    }

    /** Told after every change; the future says when the listener is done with it (e.g. registered). */
    public void addChangeListener(Supplier<Future<Void>> listener) {
        changeListeners.add(listener);
    }

    public TopicConfig get(String topic) {
        return topics.get(topic);
    }

    public boolean contains(String topic) {
        return topics.containsKey(topic);
    }

    public Map<String, TopicConfig> all() {
        return topics;
    }

    public DataVersion dataVersion() {
        return dataVersion.copy();
    }

    /**
     * Auto-creation on send (spec 3.2.4 step 4): a copy of the default topic's layout, at most
     * {@code requestedQueueNums} queues, perm without INHERIT. Null when the default topic is missing or does
     * not allow inheritance.
     */
    public TopicConfig createInSendMessage(String topic, String defaultTopic, int requestedQueueNums, int topicSysFlag) {
        TopicConfig created;
        synchronized (this) {
            TopicConfig existing = topics.get(topic);
            if (existing != null) {
                return existing;
            }
            TopicConfig def = defaultTopic == null ? null : topics.get(defaultTopic);
            if (def == null || !PermName.isInherited(def.perm)) {
                if (def != null) {
                    LOG.warn("auto-create of {} refused: default topic {} has no inherit permission", topic,
                            defaultTopic);
                }
                return null;
            }
            if (defaultTopic.equals(SystemNames.DEFAULT_TOPIC) && !config.autoCreateTopicEnable) {
                return null;
            }
            int queues = Math.max(1, Math.min(requestedQueueNums, def.writeQueueNums));
            created = new TopicConfig(topic, queues, queues, def.perm & ~PermName.PERM_INHERIT);
            created.topicFilterType = def.topicFilterType;
            created.topicSysFlag = topicSysFlag;
            topics.put(topic, created);
            dataVersion.next();
        }
        LOG.info("auto-created topic {} from {}: {}", topic, defaultTopic, created);
        changed();
        return created;
    }

    /** Creates a broker-owned topic (%RETRY%, %DLQ%) when missing; returns the current config. */
    public TopicConfig createIfAbsent(String topic, int queueNums, int perm, int topicSysFlag) {
        TopicConfig created;
        synchronized (this) {
            TopicConfig existing = topics.get(topic);
            if (existing != null) {
                return existing;
            }
            created = new TopicConfig(topic, queueNums, queueNums, perm);
            created.topicSysFlag = topicSysFlag;
            topics.put(topic, created);
            dataVersion.next();
        }
        LOG.info("created topic {}", created);
        changed();
        return created;
    }

    /**
     * Creates or overwrites a topic (UPDATE_AND_CREATE_TOPIC); the future completes when the listeners are done
     * (the new table is registered at the nameservers).
     */
    public Future<Void> update(TopicConfig tc) {
        synchronized (this) {
            topics.put(tc.topicName, tc);
            dataVersion.next();
        }
        LOG.info("updated topic {}", tc);
        return changed();
    }

    /**
     * A slave takes its master's table (RocketMQ's slave sync): topics become exactly the master's; persisted and
     * told to the listeners (registration) like any change.
     */
    public void replaceWith(Map<String, TopicConfig> master) {
        synchronized (this) {
            topics.keySet().retainAll(master.keySet());
            topics.putAll(master);
            dataVersion.next();
        }
        LOG.info("topics synchronised from the master: {}", master.size());
        changed();
    }

    public boolean delete(String topic) {
        synchronized (this) {
            if (topics.remove(topic) == null) {
                return false;
            }
            dataVersion.next();
        }
        LOG.info("deleted topic {}", topic);
        changed();
        return true;
    }

    /** A consistent copy: the table and its version, as registered and served by GET_ALL_TOPIC_CONFIG. */
    public synchronized TopicConfigSerializeWrapper snapshot() {
        TopicConfigSerializeWrapper w = new TopicConfigSerializeWrapper();
        w.topicConfigTable = new TreeMap<>(topics);
        w.dataVersion = dataVersion.copy();
        return w;
    }

    public byte[] encode() {
        return Json.toBytes(snapshot());
    }

    private Future<Void> changed() {
        ConfigPersister p = persister;
        if (p != null) {
            p.requestPersist();
        }
        List<Future<Void>> done = new ArrayList<>(changeListeners.size());
        for (Supplier<Future<Void>> l : changeListeners) {
            try {
                done.add(l.get());
            } catch (RuntimeException e) {
                LOG.warn("topic change listener failed", e);
            }
        }
        return Future.join(done).mapEmpty();
    }
}

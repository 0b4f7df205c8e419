package io.tern.broker.config;

import io.tern.common.Json;
import io.tern.common.protocol.DataVersion;
import io.tern.common.protocol.SystemNames;
import java.io.IOException;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Consumer group settings, auto-created on first use when {@code autoCreateSubscriptionGroup} is on; persisted as
 * {@code config/subscriptionGroup.json}.
 *
 * <p>Thread-safe.
 */
public final class SubscriptionGroupManager {
    private final boolean autoCreate;
    private final Map<String, SubscriptionGroupConfig> groups = new ConcurrentHashMap<>();
    private final DataVersion dataVersion = new DataVersion();
    private volatile ConfigPersister persister;

    public SubscriptionGroupManager(boolean autoCreate) {
        this.autoCreate = autoCreate;
        for (String g : new String[] {SystemNames.TOOLS_CONSUMER_GROUP, SystemNames.TRANS_CHECK_GROUP,
            "DEFAULT_CONSUMER", "SELF_TEST_C_GROUP", "CID_ONS-HTTP-PROXY", "CID_ONSAPI_PULL",
            "CID_ONSAPI_PERMISSION", "CID_ONSAPI_OWNER"}) {
            SubscriptionGroupConfig c = new SubscriptionGroupConfig(g);
            groups.put(g, c);
        }
    }

    public void load(ConfigFile file) throws IOException {
        byte[] bytes = file.read();
        if (bytes != null) {
            SubscriptionGroupWrapper w = Json.fromBytes(bytes, SubscriptionGroupWrapper.class);
            if (w.subscriptionGroupTable != null) {
                w.subscriptionGroupTable.forEach((k, v) -> {
                    if (v != null) {
                        if (v.groupName == null) {
                            v.groupName = k;
                        }
                        groups.put(v.groupName, v);
                    }
                });
            }
        }
    }

    public void persister(ConfigPersister persister) {
        this.persister = persister;
    }

    /** The group's config, auto-created when allowed; null when unknown and auto-create is off. */
    public SubscriptionGroupConfig findOrCreate(String group) {
        SubscriptionGroupConfig c = groups.get(group);
        if (c != null || !autoCreate || group == null) {
            return c;
        }
        SubscriptionGroupConfig created = new SubscriptionGroupConfig(group);
        SubscriptionGroupConfig prev = groups.putIfAbsent(group, created);
        if (prev != null) {
            return prev;
        }
        changed();
        return created;
    }

    public SubscriptionGroupConfig get(String group) {
        return groups.get(group);
    }

    public void update(SubscriptionGroupConfig config) {
        groups.put(config.groupName, config);
        changed();
    }

    /** A slave takes its master's groups (persisted like any change). */
    public void replaceWith(Map<String, SubscriptionGroupConfig> master) {
        synchronized (this) {
            groups.keySet().retainAll(master.keySet());
            groups.putAll(master);
        }
        changed();
    }

    public boolean delete(String group) {
        boolean removed = groups.remove(group) != null;
        if (removed) {
            changed();
        }
        return removed;
    }

    public Map<String, SubscriptionGroupConfig> all() {
        return groups;
    }

    public synchronized SubscriptionGroupWrapper snapshot() {
        SubscriptionGroupWrapper w = new SubscriptionGroupWrapper();
        w.subscriptionGroupTable = new TreeMap<>(groups);
        w.dataVersion = dataVersion.copy();
        return w;
    }

    public byte[] encode() {
        return Json.toBytes(snapshot());
    }

    private void changed() {
        dataVersion.next();
        ConfigPersister p = persister;
        if (p != null) {
            p.requestPersist();
        }
    }
}

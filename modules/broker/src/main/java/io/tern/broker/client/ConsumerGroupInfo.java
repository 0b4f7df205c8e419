package io.tern.broker.client;

import io.tern.common.protocol.SubscriptionData;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The live members of one consumer group and the group's subscriptions (from the latest heartbeats).
 *
 * <p>Thread-safe: changes are serialized on this object; {@link #subscription} is lock-free.
 */
public final class ConsumerGroupInfo {
    public final String groupName;
    private final Map<Long, ClientChannel> channels = new HashMap<>();
    private final Map<String, SubscriptionData> subscriptions = new ConcurrentHashMap<>();
    volatile String consumeType;
    volatile String messageModel;
    volatile String consumeFromWhere;

    ConsumerGroupInfo(String groupName) {
        this.groupName = groupName;
    }

    /** Adds or refreshes a channel; true when it is new to the group. */
    synchronized boolean register(ClientChannel channel, String consumeType, String messageModel,
                                  String consumeFromWhere) {
        this.consumeType = consumeType;
        this.messageModel = messageModel;
        this.consumeFromWhere = consumeFromWhere;
        ClientChannel old = channels.get(channel.connection.id());
        if (old == null || !old.clientId.equals(channel.clientId)) {
            channels.put(channel.connection.id(), channel);
            return old == null;
        }
        old.lastUpdateMs = channel.lastUpdateMs;
        return false;
    }

    /**
     * Replaces the subscriptions with those of a heartbeat: newer versions win, topics no longer listed are
     * removed. True when the topic set changed (a newer subVersion alone does not count).
     */
    synchronized boolean updateSubscriptions(Iterable<SubscriptionData> latest) {
        boolean topicsChanged = false;
        Set<String> listed = new HashSet<>();
        for (SubscriptionData sub : latest) {
            if (sub == null || sub.topic == null) {
                continue;
            }
            listed.add(sub.topic);
            SubscriptionData old = subscriptions.get(sub.topic);
            if (old == null) {
                subscriptions.put(sub.topic, sub);
                topicsChanged = true;
            } else if (sub.subVersion > old.subVersion) {
                subscriptions.put(sub.topic, sub);
            }
        }
        if (subscriptions.keySet().retainAll(listed)) {
            topicsChanged = true;
        }
        return topicsChanged;
    }

    /** True when the channel was a member. */
    synchronized boolean remove(long connectionId) {
        return channels.remove(connectionId) != null;
    }

    /** Removes channels without a heartbeat since {@code oldestMs}; returns whether any was removed. */
    synchronized boolean removeExpired(long oldestMs, List<ClientChannel> removed) {
        boolean any = false;
        var it = channels.values().iterator();
        while (it.hasNext()) {
            ClientChannel c = it.next();
            if (c.lastUpdateMs < oldestMs) {
                it.remove();
                removed.add(c);
                any = true;
            }
        }
        return any;
    }

    public SubscriptionData subscription(String topic) {
        return subscriptions.get(topic);
    }

    public Map<String, SubscriptionData> subscriptions() {
        return subscriptions;
    }

    public synchronized List<ClientChannel> channels() {
        return new ArrayList<>(channels.values());
    }

    public synchronized boolean isEmpty() {
        return channels.isEmpty();
    }

    public String consumeType() {
        return consumeType;
    }

    public String messageModel() {
        return messageModel;
    }

    public String consumeFromWhere() {
        return consumeFromWhere;
    }
}

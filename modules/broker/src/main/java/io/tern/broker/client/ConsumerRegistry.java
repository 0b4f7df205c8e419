package io.tern.broker.client;

import io.tern.common.protocol.SubscriptionData;
import io.tern.remoting.RemotingChannel;
import io.tern.remoting.protocol.RemotingCommand;
import io.tern.remoting.protocol.RequestCode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Consumer groups and their live channels. Membership or topic-set changes send NOTIFY_CONSUMER_IDS_CHANGED
 * (oneway) to every channel of the group, so consumers rebalance at once (spec 3.5.1, 3.5.3).
 *
 * <p>Thread-safe.
 */
public final class ConsumerRegistry {
    private static final Logger LOG = LoggerFactory.getLogger(ConsumerRegistry.class);

    private final Map<String, ConsumerGroupInfo> groups = new ConcurrentHashMap<>();
    private final boolean notifyEnabled;

    public ConsumerRegistry(boolean notifyEnabled) {
        this.notifyEnabled = notifyEnabled;
    }

    /**
     * Registers a heartbeat's consumer entry; returns true when members or topics changed.
     * {@code notifyGroup} false suppresses the notification (group setting).
     */
    public boolean register(String group, ClientChannel channel, String consumeType, String messageModel,
                            String consumeFromWhere, Iterable<SubscriptionData> subscriptions, boolean notifyGroup) {
        ConsumerGroupInfo info = groups.computeIfAbsent(group, ConsumerGroupInfo::new);
        boolean joined = info.register(channel, consumeType, messageModel, consumeFromWhere);
        // the group may have been dropped as empty meanwhile: adopt ours again, or join the one that replaced it
        ConsumerGroupInfo current = groups.putIfAbsent(group, info);
        if (current != null && current != info) {
            info = current;
            joined = info.register(channel, consumeType, messageModel, consumeFromWhere) || joined;
        }
        boolean topicsChanged = info.updateSubscriptions(subscriptions);
        boolean changed = joined || topicsChanged;
        if (changed) {
            LOG.info("consumer group {}: {} {} (joined={}, topicsChanged={})", group, channel.clientId,
                    channel.connection.remoteAddress(), joined, topicsChanged);
            if (notifyGroup) {
                notifyGroup(info);
            }
        }
        return changed;
    }

    public ConsumerGroupInfo group(String group) {
        return groups.get(group);
    }

    public Map<String, ConsumerGroupInfo> all() {
        return groups;
    }

    /** UNREGISTER_CLIENT for a consumer group. */
    public void unregister(String group, RemotingChannel connection) {
        ConsumerGroupInfo info = groups.get(group);
        if (info != null && info.remove(connection.id())) {
            LOG.info("consumer group {}: {} unregistered", group, connection.remoteAddress());
            afterRemoval(info);
        }
    }

    /** A connection closed: it leaves every group. */
    public void onClose(RemotingChannel connection) {
        for (ConsumerGroupInfo info : groups.values()) {
            if (info.remove(connection.id())) {
                LOG.info("consumer group {}: {} disconnected", info.groupName, connection.remoteAddress());
                afterRemoval(info);
            }
        }
    }

    /** Drops channels without a heartbeat since {@code oldestMs} and closes their connections. */
    public void removeExpired(long oldestMs) {
        for (ConsumerGroupInfo info : groups.values()) {
            List<ClientChannel> removed = new ArrayList<>();
            if (info.removeExpired(oldestMs, removed)) {
                for (ClientChannel c : removed) {
                    LOG.warn("consumer {} of group {} expired without heartbeat", c.clientId, info.groupName);
                    c.connection.close();
                }
                afterRemoval(info);
            }
        }
    }

    private void afterRemoval(ConsumerGroupInfo info) {
        if (info.isEmpty()) {
            groups.remove(info.groupName, info);
            // a channel may have joined between the check and the removal: keep it registered
            if (!info.isEmpty()) {
                groups.putIfAbsent(info.groupName, info);
            }
        } else if (notifyEnabled) {
            notifyGroup(info);
        }
    }

    private void notifyGroup(ConsumerGroupInfo info) {
        if (!notifyEnabled) {
            return;
        }
        for (ClientChannel c : info.channels()) {
            RemotingCommand notify = RemotingCommand.onewayRequest(RequestCode.NOTIFY_CONSUMER_IDS_CHANGED)
                    .put("consumerGroup", info.groupName);
            c.connection.oneway(notify);
        }
    }
}

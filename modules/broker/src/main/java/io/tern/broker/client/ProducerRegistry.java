package io.tern.broker.client;

import io.tern.remoting.RemotingChannel;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Producer groups and their live channels (for transaction checks, reply push and admin listings).
 *
 * <p>Thread-safe.
 */
public final class ProducerRegistry {
    private final Map<String, Map<Long, ClientChannel>> groups = new ConcurrentHashMap<>();

    public void register(String group, ClientChannel channel) {
        Map<Long, ClientChannel> members = groups.computeIfAbsent(group, g -> new ConcurrentHashMap<>());
        add(members, channel);
        // the group may have been dropped as empty meanwhile: adopt ours again, or join the one that replaced it
        Map<Long, ClientChannel> current = groups.putIfAbsent(group, members);
        if (current != null && current != members) {
            add(current, channel);
        }
    }

    private static void add(Map<Long, ClientChannel> members, ClientChannel channel) {
        ClientChannel old = members.get(channel.connection.id());
        if (old != null && old.clientId.equals(channel.clientId)) {
            old.lastUpdateMs = channel.lastUpdateMs;
        } else {
            members.put(channel.connection.id(), channel);
        }
    }

    public void unregister(String group, RemotingChannel connection) {
        Map<Long, ClientChannel> members = groups.get(group);
        if (members != null) {
            members.remove(connection.id());
            if (members.isEmpty()) {
                groups.remove(group, members);
            }
        }
    }

    public void onClose(RemotingChannel connection) {
        for (String group : groups.keySet()) {
            unregister(group, connection);
        }
    }

    public void removeExpired(long oldestMs) {
        for (Map.Entry<String, Map<Long, ClientChannel>> e : groups.entrySet()) {
            e.getValue().values().removeIf(c -> c.lastUpdateMs < oldestMs);
            if (e.getValue().isEmpty()) {
                groups.remove(e.getKey(), e.getValue());
            }
        }
    }

    public List<ClientChannel> channels(String group) {
        Map<Long, ClientChannel> members = groups.get(group);
        return members == null ? List.of() : List.copyOf(members.values());
    }

    /** A live channel of the group with the given clientId, or null. */
    public ClientChannel findByClientId(String clientId) {
        for (Map<Long, ClientChannel> members : groups.values()) {
            for (ClientChannel c : members.values()) {
                if (c.clientId.equals(clientId) && !c.connection.isClosed()) {
                    return c;
                }
            }
        }
        return null;
    }

    public Map<String, Map<Long, ClientChannel>> all() {
        return groups;
    }
}

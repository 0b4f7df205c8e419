package io.tern.remoting.acl;

import java.util.ArrayList;
import java.util.List;

/**
 * What one request needs from the account that signed it: administrative rights, and a permission on each topic
 * and consumer group it touches. Built per request by an {@link AccessTable} resolver.
 *
 * <p>A topic named {@code %RETRY%<group>} is the group's retry topic and is checked as the group, as RocketMQ does.
 */
public final class AccessNeeds {
    private static final String RETRY_PREFIX = "%RETRY%";
    /** The RocketMQ message-trace topic: publishing to it is allowed to every signed account. */
    static final String TRACE_TOPIC = "RMQ_SYS_TRACE_TOPIC";

    /** A permission on one topic or group. */
    public record Need(String name, boolean group, byte perm) {
        /** "topic:T" or "group:G", as remarks name it. */
        public String resource() {
            return (group ? "group:" : "topic:") + name;
        }
    }

    private boolean admin;
    private final List<Need> needs = new ArrayList<>(2);

    /** Needs nothing beyond a valid signature. */
    public static AccessNeeds none() {
        return new AccessNeeds();
    }

    /** An administrative request. */
    public static AccessNeeds adminOnly() {
        return new AccessNeeds().admin();
    }

    public AccessNeeds admin() {
        admin = true;
        return this;
    }

    /** {@code perm} on {@code topic} (on the group, for a retry topic); a null or empty name adds nothing. */
    public AccessNeeds topic(String topic, byte perm) {
        if (topic == null || topic.isEmpty()) {
            return this;
        }
        if (topic.startsWith(RETRY_PREFIX)) {
            return group(topic.substring(RETRY_PREFIX.length()), perm);
        }
        needs.add(new Need(topic, false, perm));
        return this;
    }

    /** {@code perm} on consumer group {@code group}; a null or empty name adds nothing. */
    public AccessNeeds group(String group, byte perm) {
        if (group != null && !group.isEmpty()) {
            needs.add(new Need(group, true, perm));
        }
        return this;
    }

    public boolean isAdmin() {
        return admin;
    }

    public List<Need> needs() {
        return needs;
    }

    /** Publishing to the trace topic, which every signed account may do (RocketMQ's exception). */
    boolean isTracePublish() {
        return needs.size() == 1 && !needs.get(0).group() && needs.get(0).name().equals(TRACE_TOPIC)
                && needs.get(0).perm() == Permission.PUB;
    }
}

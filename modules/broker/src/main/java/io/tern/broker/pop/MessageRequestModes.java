package io.tern.broker.pop;

import io.tern.broker.config.ConfigFile;
import io.tern.common.Json;
import java.io.IOException;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * How each group consumes each topic — PULL (client-side queues and offsets) or POP — as set by
 * SET_MESSAGE_REQUEST_MODE ({@code mqadmin setConsumeMode}) and answered in QUERY_ASSIGNMENT. Persisted in
 * {@code config/messageRequestMode.json} in the reference's layout:
 * {@code {"messageRequestModeMap": {topic: {group: {"topic", "consumerGroup", "mode", "popShareQueueNum"}}}}}.
 *
 * <p>Thread-safe.
 */
final class MessageRequestModes {
    static final String PULL = "PULL";
    static final String POP = "POP";

    /** One group's mode on one topic (the request body of SET_MESSAGE_REQUEST_MODE). */
    public static final class Mode {
        public String topic;
        public String consumerGroup;
        public String mode = PULL;
        /** A POP consumer also pops the queues of the next N consumers; 0 or less: every consumer pops all. */
        public int popShareQueueNum;
    }

    /** The file's layout. */
    public static final class Wrapper {
        public Map<String, Map<String, Mode>> messageRequestModeMap = new TreeMap<>();
    }

    private final Map<String, Map<String, Mode>> modes = new ConcurrentHashMap<>();

    void load(ConfigFile file) throws IOException {
        byte[] bytes = file.read();
        if (bytes == null) {
            return;
        }
        Wrapper w = Json.fromBytes(bytes, Wrapper.class);
        if (w.messageRequestModeMap != null) {
            w.messageRequestModeMap.forEach((topic, byGroup) -> {
                if (byGroup != null) {
                    byGroup.forEach((group, m) -> {
                        if (m != null) {
                            set(topic, group, m);
                        }
                    });
                }
            });
        }
    }

    void set(String topic, String group, Mode mode) {
        mode.topic = topic;
        mode.consumerGroup = group;
        mode.mode = POP.equalsIgnoreCase(mode.mode) ? POP : PULL;
        modes.computeIfAbsent(topic, t -> new ConcurrentHashMap<>()).put(group, mode);
    }

    /** The group's mode on the topic, or null when never set. */
    Mode get(String topic, String group) {
        Map<String, Mode> byGroup = modes.get(topic);
        return byGroup == null ? null : byGroup.get(group);
    }

    byte[] encode() {
        Wrapper w = new Wrapper();
        modes.forEach((topic, byGroup) -> w.messageRequestModeMap.put(topic, new TreeMap<>(byGroup)));
        return Json.toBytes(w);
    }
}

package io.tern.common.protocol;

import java.util.Set;

/** Topic name rules (spec 3.3.1 step 3): not blank, {@code [%|a-zA-Z0-9_-]}, at most 127 characters. */
public final class TopicValidator {
    public static final int MAX_TOPIC_LENGTH = 127;

    /** Topics producers may not send to directly. */
    private static final Set<String> NOT_ALLOWED_SEND = Set.of(SystemNames.SCHEDULE_TOPIC,
            SystemNames.TRANS_HALF_TOPIC, SystemNames.TRANS_OP_HALF_TOPIC, SystemNames.TRANS_CHECK_MAX_TIME_TOPIC,
            SystemNames.SELF_TEST_TOPIC, SystemNames.OFFSET_MOVED_EVENT);

    /** Returns null when valid, otherwise the reason. */
    public static String validate(String topic) {
        if (topic == null || topic.isBlank()) {
            return "The specified topic is blank.";
        }
        if (topic.length() > MAX_TOPIC_LENGTH) {
            return "The specified topic is longer than topic max length " + MAX_TOPIC_LENGTH + ".";
        }
        for (int i = 0; i < topic.length(); i++) {
            char c = topic.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || c == '%' || c == '|' || c == '_' || c == '-';
            if (!ok) {
                return "The specified topic[" + topic + "] contains illegal characters, allowing only ^[%|a-zA-Z0-9_-]+$";
            }
        }
        return null;
    }

    public static boolean isNotAllowedSendTopic(String topic) {
        return NOT_ALLOWED_SEND.contains(topic);
    }

    public static boolean isSystemTopic(String topic) {
        return NOT_ALLOWED_SEND.contains(topic) || topic.startsWith(SystemNames.SYSTEM_TOPIC_PREFIX)
                || topic.equals(SystemNames.DEFAULT_TOPIC) || topic.equals(SystemNames.TRACE_TOPIC);
    }

    private TopicValidator() {
    }
}

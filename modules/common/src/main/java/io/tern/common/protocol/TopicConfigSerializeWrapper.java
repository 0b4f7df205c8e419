package io.tern.common.protocol;

import java.util.LinkedHashMap;
import java.util.Map;

/** Body of GET_ALL_TOPIC_CONFIG and part of REGISTER_BROKER (spec 4.2.2); also config/topics.json. */
public final class TopicConfigSerializeWrapper {
    public Map<String, TopicConfig> topicConfigTable = new LinkedHashMap<>();
    public DataVersion dataVersion = new DataVersion();
}

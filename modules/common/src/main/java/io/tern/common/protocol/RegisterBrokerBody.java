package io.tern.common.protocol;

import java.util.ArrayList;
import java.util.List;

/** REGISTER_BROKER body, uncompressed form (spec 4.2.2). */
public final class RegisterBrokerBody {
    public TopicConfigSerializeWrapper topicConfigSerializeWrapper = new TopicConfigSerializeWrapper();
    public List<String> filterServerList = new ArrayList<>();
}

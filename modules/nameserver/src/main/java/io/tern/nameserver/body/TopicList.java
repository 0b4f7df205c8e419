package io.tern.nameserver.body;

import java.util.Set;
import java.util.TreeSet;

/** Body of the topic list calls (spec 4.2.11); {@code brokerAddr} only for the system topic list. */
public final class TopicList {
    public Set<String> topicList = new TreeSet<>();
    public String brokerAddr;
}

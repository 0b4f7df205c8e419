package io.tern.common.protocol;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.LinkedHashSet;
import java.util.Set;

/** HEART_BEAT body (spec 4.2.4). */
public final class HeartbeatData {
    @JsonProperty("clientID")
    public String clientID;
    public Set<ProducerData> producerDataSet = new LinkedHashSet<>();
    public Set<ConsumerData> consumerDataSet = new LinkedHashSet<>();
}

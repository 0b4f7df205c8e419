package io.tern.common.protocol;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** GET_ROUTEINFO_BY_TOPIC body (spec 4.1); lists and the filter table are never null on the wire. */
public final class TopicRouteData {
    public String orderTopicConf;
    public List<QueueData> queueDatas = new ArrayList<>();
    public List<BrokerData> brokerDatas = new ArrayList<>();
    public Map<String, List<String>> filterServerTable = new LinkedHashMap<>();
}

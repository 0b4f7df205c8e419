package io.tern.nameserver.processor;

import io.tern.common.protocol.TopicRouteData;
import io.tern.nameserver.NameServerConfig;
import io.tern.nameserver.kv.KvConfigStore;
import io.tern.nameserver.route.RouteRegistry;
import io.tern.remoting.RemotingChannel;
import io.tern.remoting.protocol.RemotingCommand;
import io.tern.remoting.protocol.ResponseCode;
import io.vertx.core.Future;

/**
 * Read-only route calls of clients and mqadmin: GET_ROUTEINFO_BY_TOPIC (105), GET_BROKER_CLUSTER_INFO (106),
 * GET_ALL_TOPIC_LIST_FROM_NAMESERVER (206), GET_TOPICS_BY_CLUSTER (224), GET_SYSTEM_TOPIC_LIST_FROM_NS (304) and
 * the unit topic lists (311–313) (spec 3.2.4–3.2.6, 3.2.10). Runs on event loops.
 *
 * <p>Routes are always written in standard JSON (quoted map keys): every Java client parses it (spec 4.1).
 */
public final class RouteQueryProcessor {
    private final RouteRegistry registry;
    private final KvConfigStore kv;
    private final NameServerConfig config;

    public RouteQueryProcessor(RouteRegistry registry, KvConfigStore kv, NameServerConfig config) {
        this.registry = registry;
        this.kv = kv;
        this.config = config;
    }

    public Future<RemotingCommand> clusterInfo(RemotingChannel channel, RemotingCommand request) {
        return Responses.successJson(request, registry.clusterInfo());
    }

    public Future<RemotingCommand> allTopics(RemotingChannel channel, RemotingCommand request) {
        return Responses.successJson(request, registry.allTopics());
    }

    public Future<RemotingCommand> topicsOfCluster(RemotingChannel channel, RemotingCommand request) {
        return Responses.successJson(request, registry.topicsOfCluster(request.required("cluster")));
    }

    public Future<RemotingCommand> systemTopics(RemotingChannel channel, RemotingCommand request) {
        return Responses.successJson(request, registry.systemTopics());
    }

    public Future<RemotingCommand> unitTopics(RemotingChannel channel, RemotingCommand request) {
        return Responses.successJson(request, registry.unitTopics());
    }

    public Future<RemotingCommand> hasUnitSubTopics(RemotingChannel channel, RemotingCommand request) {
        return Responses.successJson(request, registry.hasUnitSubTopics());
    }

    public Future<RemotingCommand> hasUnitSubUnUnitTopics(RemotingChannel channel, RemotingCommand request) {
        return Responses.successJson(request, registry.hasUnitSubUnUnitTopics());
    }

    public Future<RemotingCommand> routeInfoByTopic(RemotingChannel connection, RemotingCommand request) {
        String topic = request.required("topic");
        TopicRouteData route = registry.routeOf(topic);
        if (route == null) {
            return Responses.error(request, ResponseCode.TOPIC_NOT_EXIST,
                    "No topic route info in name server for the topic: " + topic, false);
        }
        if (config.orderMessageEnable) {
            route.orderTopicConf = kv.get(BrokerRegistrationProcessor.ORDER_TOPIC_CONFIG_NAMESPACE, topic);
        }
        return Responses.successJson(request, route);
    }
}

package io.tern.nameserver;

import io.tern.nameserver.kv.KvConfigStore;
import io.tern.nameserver.processor.BrokerRegistrationProcessor;
import io.tern.nameserver.processor.KvConfigProcessor;
import io.tern.nameserver.processor.NameServerConfigProcessor;
import io.tern.nameserver.processor.RouteQueryProcessor;
import io.tern.nameserver.processor.TopicAdminProcessor;
import io.tern.nameserver.route.RouteRegistry;
import io.tern.remoting.ProcessorTable;
import io.tern.remoting.protocol.RequestCode;

/**
 * The one place where the nameserver's request codes meet their processors; processor classes only expose
 * methods. Every processor runs on the event loop (in-memory tables; the KV store writes its file on a worker).
 */
public final class NameServerProcessors {
    private NameServerProcessors() {
    }

    public static ProcessorTable build(RouteRegistry registry, KvConfigStore kv, NameServerConfig config) {
        ProcessorTable table = new ProcessorTable();

        BrokerRegistrationProcessor brokers = new BrokerRegistrationProcessor(registry, kv);
        table.register(RequestCode.REGISTER_BROKER, brokers::registerBroker)
                .register(RequestCode.UNREGISTER_BROKER, brokers::unregisterBroker)
                .register(RequestCode.QUERY_DATA_VERSION, brokers::queryDataVersion);

        RouteQueryProcessor routes = new RouteQueryProcessor(registry, kv, config);
        table.register(RequestCode.GET_ROUTEINFO_BY_TOPIC, routes::routeInfoByTopic)
                .register(RequestCode.GET_BROKER_CLUSTER_INFO, routes::clusterInfo)
                .register(RequestCode.GET_ALL_TOPIC_LIST_FROM_NAMESERVER, routes::allTopics)
                .register(RequestCode.GET_TOPICS_BY_CLUSTER, routes::topicsOfCluster)
                .register(RequestCode.GET_SYSTEM_TOPIC_LIST_FROM_NS, routes::systemTopics)
                .register(RequestCode.GET_UNIT_TOPIC_LIST, routes::unitTopics)
                .register(RequestCode.GET_HAS_UNIT_SUB_TOPIC_LIST, routes::hasUnitSubTopics)
                .register(RequestCode.GET_HAS_UNIT_SUB_UNUNIT_TOPIC_LIST, routes::hasUnitSubUnUnitTopics);

        TopicAdminProcessor topics = new TopicAdminProcessor(registry);
        table.register(RequestCode.DELETE_TOPIC_IN_NAMESRV, topics::deleteTopic)
                .register(RequestCode.WIPE_WRITE_PERM_OF_BROKER, topics::wipeWritePerm)
                .register(RequestCode.ADD_WRITE_PERM_OF_BROKER, topics::addWritePerm);

        KvConfigProcessor kvConfig = new KvConfigProcessor(kv);
        table.register(RequestCode.PUT_KV_CONFIG, kvConfig::put)
                .register(RequestCode.GET_KV_CONFIG, kvConfig::get)
                .register(RequestCode.DELETE_KV_CONFIG, kvConfig::delete)
                .register(RequestCode.GET_KVLIST_BY_NAMESPACE, kvConfig::list);

        NameServerConfigProcessor settings = new NameServerConfigProcessor(config);
        table.register(RequestCode.UPDATE_NAMESRV_CONFIG, settings::update)
                .register(RequestCode.GET_NAMESRV_CONFIG, settings::get);

        return table;
    }
}

package io.tern.broker;

import io.tern.broker.admin.BrokerInfoProcessors;
import io.tern.broker.admin.GroupAdminProcessors;
import io.tern.broker.admin.TopicAdminProcessors;
import io.tern.broker.client.ClientProcessors;
import io.tern.broker.lock.LockProcessors;
import io.tern.broker.lock.QueueLockManager;
import io.tern.broker.query.MessageQueryProcessors;
import io.tern.broker.offset.OffsetProcessors;
import io.tern.broker.pull.PullMessageProcessor;
import io.tern.broker.send.ReplyMessageProcessor;
import io.tern.broker.send.SendBackProcessor;
import io.tern.broker.send.SendMessageProcessor;
import io.tern.broker.transaction.EndTransactionProcessor;
import io.tern.remoting.ProcessorTable;
import io.tern.remoting.protocol.RemotingCommand;
import io.tern.remoting.protocol.RequestCode;
import io.vertx.core.Future;

/**
 * The one place where request codes meet their processors. Processors registered with {@code register} run on
 * the event loop and never block; {@code registerBlocking} ones (file deletion) run on a worker. Add new request
 * codes by registering another processor class in {@link #build}.
 */
public final class BrokerProcessors {
    private BrokerProcessors() {
    }

    public static ProcessorTable build(BrokerServices broker) {
        ProcessorTable table = new ProcessorTable();

        SendMessageProcessor send = new SendMessageProcessor(broker);
        table.register(RequestCode.SEND_MESSAGE, send::process)
                .register(RequestCode.SEND_MESSAGE_V2, send::process)
                .register(RequestCode.SEND_BATCH_MESSAGE, send::process)
                .register(RequestCode.CONSUMER_SEND_MSG_BACK, new SendBackProcessor(broker)::process)
                .register(RequestCode.END_TRANSACTION, new EndTransactionProcessor(broker)::process);
        ReplyMessageProcessor reply = new ReplyMessageProcessor(broker, send);
        table.register(RequestCode.SEND_REPLY_MESSAGE, reply::process)
                .register(RequestCode.SEND_REPLY_MESSAGE_V2, reply::process);

        PullMessageProcessor pull = new PullMessageProcessor(broker);
        table.register(RequestCode.PULL_MESSAGE, pull::process)
                .register(RequestCode.LITE_PULL_MESSAGE, pull::process);

        OffsetProcessors offsets = new OffsetProcessors(broker);
        table.register(RequestCode.QUERY_CONSUMER_OFFSET, offsets::queryConsumerOffset)
                .register(RequestCode.UPDATE_CONSUMER_OFFSET, offsets::updateConsumerOffset)
                .register(RequestCode.GET_MAX_OFFSET, offsets::maxOffset)
                .register(RequestCode.GET_MIN_OFFSET, offsets::minOffset)
                .register(RequestCode.GET_EARLIEST_MSG_STORETIME, offsets::earliestMessageTime)
                .register(RequestCode.SEARCH_OFFSET_BY_TIMESTAMP, offsets::searchOffsetByTimestamp);

        ClientProcessors clients = new ClientProcessors(broker);
        table.register(RequestCode.HEART_BEAT, clients::heartbeat)
                .register(RequestCode.UNREGISTER_CLIENT, clients::unregister)
                .register(RequestCode.GET_CONSUMER_LIST_BY_GROUP, clients::consumerList)
                .register(RequestCode.CHECK_CLIENT_CONFIG, clients::checkClientConfig);

        LockProcessors locks = new LockProcessors(new QueueLockManager());
        table.register(RequestCode.LOCK_BATCH_MQ, locks::lock)
                .register(RequestCode.UNLOCK_BATCH_MQ, locks::unlock);

        MessageQueryProcessors queries = new MessageQueryProcessors(broker);
        table.registerBlocking(RequestCode.QUERY_MESSAGE, queries::queryMessage)
                .register(RequestCode.VIEW_MESSAGE_BY_ID, queries::viewMessageById);

        TopicAdminProcessors topics = new TopicAdminProcessors(broker);
        table.register(RequestCode.UPDATE_AND_CREATE_TOPIC, topics::createTopic)
                .registerBlocking(RequestCode.DELETE_TOPIC_IN_BROKER, topics::deleteTopic)
                .register(RequestCode.GET_ALL_TOPIC_CONFIG, topics::allTopicConfig)
                .register(RequestCode.GET_TOPIC_STATS_INFO, topics::topicStats)
                .register(RequestCode.GET_SYSTEM_TOPIC_LIST_FROM_BROKER, topics::systemTopics);

        GroupAdminProcessors groups = new GroupAdminProcessors(broker);
        table.register(RequestCode.GET_CONSUME_STATS, groups::consumeStats)
                .register(RequestCode.GET_CONSUMER_CONNECTION_LIST, groups::consumerConnections)
                .register(RequestCode.GET_PRODUCER_CONNECTION_LIST, groups::producerConnections)
                .register(RequestCode.GET_ALL_PRODUCER_INFO, groups::allProducers)
                .register(RequestCode.QUERY_TOPIC_CONSUME_BY_WHO, groups::topicConsumedByWho)
                .register(RequestCode.GET_ALL_CONSUMER_OFFSET, groups::allConsumerOffsets)
                .register(RequestCode.UPDATE_AND_CREATE_SUBSCRIPTIONGROUP, groups::updateGroup)
                .register(RequestCode.GET_ALL_SUBSCRIPTIONGROUP_CONFIG, groups::allGroups)
                .register(RequestCode.DELETE_SUBSCRIPTIONGROUP, groups::deleteGroup);

        // clean-up requests the reference answers with SUCCESS; retention runs on its own here
        for (int code : new int[] {RequestCode.CLEAN_EXPIRED_CONSUMEQUEUE, RequestCode.CLEAN_UNUSED_TOPIC,
            RequestCode.DELETE_EXPIRED_COMMITLOG}) {
            table.register(code, (c, req) -> Future.succeededFuture(RemotingCommand.successTo(req)));
        }

        BrokerInfoProcessors info = new BrokerInfoProcessors(broker);
        table.register(RequestCode.GET_BROKER_RUNTIME_INFO, info::runtimeInfo)
                .register(RequestCode.GET_BROKER_CONFIG, info::brokerConfig)
                .register(RequestCode.UPDATE_BROKER_CONFIG, info::updateBrokerConfig)
                .register(RequestCode.GET_ALL_DELAY_OFFSET, (c, req) -> Future.succeededFuture(
                        RemotingCommand.successTo(req).body(broker.schedule.encode())));

        ExtraProcessors.register(table, broker);

        return table;
    }
}

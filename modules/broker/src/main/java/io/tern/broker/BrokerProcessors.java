package io.tern.broker;

import io.tern.broker.admin.BrokerInfoProcessors;
import io.tern.broker.admin.GroupAdminProcessors;
import io.tern.broker.admin.TopicAdminProcessors;
import io.tern.broker.client.ClientProcessors;
import io.tern.broker.lock.LockProcessors;
import io.tern.broker.lock.QueueLockManager;
import io.tern.broker.metrics.SendMetrics;
import io.tern.broker.offset.OffsetProcessors;
import io.tern.broker.progress.BrokerConsumeStatsProcessor;
import io.tern.broker.progress.ConsumeProgressProcessors;
import io.tern.broker.progress.QueryConsumeQueueProcessor;
import io.tern.broker.pull.PullMessageProcessor;
import io.tern.broker.query.MessageQueryProcessors;
import io.tern.broker.relay.ConsumerCallProcessors;
import io.tern.broker.relay.ConsumerStatusProcessor;
import io.tern.broker.relay.ResetOffsetProcessor;
import io.tern.broker.send.ReplyMessageProcessor;
import io.tern.broker.send.SendBackProcessor;
import io.tern.broker.send.SendMessageProcessor;
import io.tern.broker.trace.BrokerTraceWriter;
import io.tern.broker.transaction.EndTransactionProcessor;
import io.tern.broker.transaction.ResumeCheckHalfMessageProcessor;
import io.tern.remoting.ProcessorTable;
import io.tern.remoting.protocol.RemotingCommand;
import io.tern.remoting.protocol.RequestCode;
import io.vertx.core.Future;

/**
 * The one place where the broker's request codes meet their processors: every code the broker answers is named
 * here, and every processor is built here with exactly the collaborators it uses. Processor classes only expose
 * methods; they never register themselves. {@code register} processors run on the event loop and never block;
 * {@code registerBlocking} ones (index queries, file deletion) run on a worker.
 */
public final class BrokerProcessors {
    private BrokerProcessors() {
    }

    public static ProcessorTable build(BrokerComponents b) {
        ProcessorTable table = new ProcessorTable();

        // producing (spec 3.3)
        SendMessageProcessor send = new SendMessageProcessor(b.config(), b.address(), b.store(), b.topics(),
                b.groups(), new SendMetrics(b.metrics().traffic(), b.stats()),
                new BrokerTraceWriter(b.config(), b.address(), b.store(), b.topics()));
        table.register(RequestCode.SEND_MESSAGE, send::process)
                .register(RequestCode.SEND_MESSAGE_V2, send::process)
                .register(RequestCode.SEND_BATCH_MESSAGE, send::process)
                .register(RequestCode.CONSUMER_SEND_MSG_BACK, new SendBackProcessor(b.config(), b.address(),
                        b.store(), b.topics(), b.groups())::process);
        ReplyMessageProcessor reply = new ReplyMessageProcessor(b.config(), b.address(), b.store(), b.producers(),
                send);
        table.register(RequestCode.SEND_REPLY_MESSAGE, reply::process)
                .register(RequestCode.SEND_REPLY_MESSAGE_V2, reply::process);

        // transactions (spec 6.8)
        table.register(RequestCode.END_TRANSACTION,
                        new EndTransactionProcessor(b.config(), b.address(), b.store())::process)
                .register(RequestCode.RESUME_CHECK_HALF_MESSAGE,
                        new ResumeCheckHalfMessageProcessor(b.address(), b.store())::process);

        // consuming (spec 3.4)
        PullMessageProcessor pull = new PullMessageProcessor(b.vertx(), b.config(), b.address(), b.store(),
                b.topics(), b.groups(), b.offsets(), b.consumers(), b.holds(), b.stats(), b.metrics().traffic(),
                b.replication().readAdvisor());
        table.register(RequestCode.PULL_MESSAGE, pull::process)
                .register(RequestCode.LITE_PULL_MESSAGE, pull::process);

        OffsetProcessors offsets = new OffsetProcessors(b.store(), b.offsets());
        table.register(RequestCode.QUERY_CONSUMER_OFFSET, offsets::queryConsumerOffset)
                .register(RequestCode.UPDATE_CONSUMER_OFFSET, offsets::updateConsumerOffset)
                .register(RequestCode.GET_MAX_OFFSET, offsets::maxOffset)
                .register(RequestCode.GET_MIN_OFFSET, offsets::minOffset)
                .register(RequestCode.GET_EARLIEST_MSG_STORETIME, offsets::earliestMessageTime)
                .register(RequestCode.SEARCH_OFFSET_BY_TIMESTAMP, offsets::searchOffsetByTimestamp);

        ClientProcessors clients = new ClientProcessors(b.config(), b.topics(), b.groups(), b.consumers(),
                b.producers());
        table.register(RequestCode.HEART_BEAT, clients::heartbeat)
                .register(RequestCode.UNREGISTER_CLIENT, clients::unregister)
                .register(RequestCode.GET_CONSUMER_LIST_BY_GROUP, clients::consumerList)
                .register(RequestCode.CHECK_CLIENT_CONFIG, clients::checkClientConfig);

        LockProcessors locks = new LockProcessors(new QueueLockManager());
        table.register(RequestCode.LOCK_BATCH_MQ, locks::lock)
                .register(RequestCode.UNLOCK_BATCH_MQ, locks::unlock);

        MessageQueryProcessors queries = new MessageQueryProcessors(b.config(), b.store());
        table.registerBlocking(RequestCode.QUERY_MESSAGE, queries::queryMessage)
                .register(RequestCode.VIEW_MESSAGE_BY_ID, queries::viewMessageById);

        // administration (spec 3.7)
        TopicAdminProcessors topics = new TopicAdminProcessors(b.config(), b.store(), b.topics());
        table.register(RequestCode.UPDATE_AND_CREATE_TOPIC, topics::createTopic)
                .registerBlocking(RequestCode.DELETE_TOPIC_IN_BROKER, topics::deleteTopic)
                .register(RequestCode.GET_ALL_TOPIC_CONFIG, topics::allTopicConfig)
                .register(RequestCode.GET_TOPIC_STATS_INFO, topics::topicStats)
                .register(RequestCode.GET_SYSTEM_TOPIC_LIST_FROM_BROKER, topics::systemTopics);

        GroupAdminProcessors groups = new GroupAdminProcessors(b.config(), b.store(), b.topics(), b.groups(),
                b.offsets(), b.consumers(), b.producers(), b.metrics().consumeRates());
        table.register(RequestCode.GET_CONSUME_STATS, groups::consumeStats)
                .register(RequestCode.GET_CONSUMER_CONNECTION_LIST, groups::consumerConnections)
                .register(RequestCode.GET_PRODUCER_CONNECTION_LIST, groups::producerConnections)
                .register(RequestCode.GET_ALL_PRODUCER_INFO, groups::allProducers)
                .register(RequestCode.QUERY_TOPIC_CONSUME_BY_WHO, groups::topicConsumedByWho)
                .register(RequestCode.GET_ALL_CONSUMER_OFFSET, groups::allConsumerOffsets)
                .register(RequestCode.UPDATE_AND_CREATE_SUBSCRIPTIONGROUP, groups::updateGroup)
                .register(RequestCode.GET_ALL_SUBSCRIPTIONGROUP_CONFIG, groups::allGroups)
                .register(RequestCode.DELETE_SUBSCRIPTIONGROUP, groups::deleteGroup);

        ConsumeProgressProcessors progress = new ConsumeProgressProcessors(b.config(), b.store(), b.topics(),
                b.offsets(), b.consumers());
        table.register(RequestCode.QUERY_CONSUME_TIME_SPAN, progress::consumeTimeSpan)
                .register(RequestCode.QUERY_CORRECTION_OFFSET, progress::correctionOffset)
                .register(RequestCode.CLONE_GROUP_OFFSET, progress::cloneGroupOffset)
                .register(RequestCode.GET_BROKER_CONSUME_STATS, new BrokerConsumeStatsProcessor(b.config(),
                        b.address(), b.store(), b.topics(), b.groups(), b.offsets(), b.consumers(),
                        b.metrics().consumeRates())::process)
                .register(RequestCode.QUERY_CONSUME_QUEUE,
                        new QueryConsumeQueueProcessor(b.store(), b.topics(), b.consumers())::process);

        // clean-up requests the reference answers with SUCCESS; retention runs on its own here
        for (int code : new int[] {RequestCode.CLEAN_EXPIRED_CONSUMEQUEUE, RequestCode.CLEAN_UNUSED_TOPIC,
            RequestCode.DELETE_EXPIRED_COMMITLOG}) {
            table.register(code, (c, req) -> Future.succeededFuture(RemotingCommand.successTo(req)));
        }

        BrokerInfoProcessors info = new BrokerInfoProcessors(b.config(), b.address(), b.bootTimestampMs(),
                b.store(), b.topics(), b.holds(), b.stats(), b.registrar());
        table.register(RequestCode.GET_BROKER_RUNTIME_INFO, info::runtimeInfo)
                .register(RequestCode.GET_BROKER_CONFIG, info::brokerConfig)
                .register(RequestCode.UPDATE_BROKER_CONFIG, info::updateBrokerConfig)
                .register(RequestCode.GET_ALL_DELAY_OFFSET, (c, req) -> Future.succeededFuture(
                        RemotingCommand.successTo(req).body(b.schedule().encode())));

        // admin calls relayed to one client on its own connection (spec 3.5.4)
        ConsumerCallProcessors calls = new ConsumerCallProcessors(b.config(), b.store(), b.consumers(),
                ConsumerCallProcessors.CLIENT_CALL_TIMEOUT_MS);
        table.register(RequestCode.INVOKE_BROKER_TO_RESET_OFFSET, new ResetOffsetProcessor(b.config(), b.store(),
                        b.topics(), b.groups(), b.offsets(), b.consumers())::process)
                .register(RequestCode.INVOKE_BROKER_TO_GET_CONSUMER_STATUS,
                        new ConsumerStatusProcessor(b.consumers())::process)
                .register(RequestCode.GET_CONSUMER_RUNNING_INFO, calls::consumerRunningInfo)
                .register(RequestCode.CONSUME_MESSAGE_DIRECTLY, calls::consumeMessageDirectly);

        b.pop().register(table); // pop consumption and broker-side assignment (src-docs/pop.md)

        return table;
    }
}

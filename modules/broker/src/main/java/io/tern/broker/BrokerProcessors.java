package io.tern.broker;

import io.tern.broker.client.ClientProcessors;
import io.tern.broker.offset.OffsetProcessors;
import io.tern.broker.pull.PullMessageProcessor;
import io.tern.broker.send.SendMessageProcessor;
import io.tern.remoting.ProcessorTable;
import io.tern.remoting.protocol.RequestCode;

/**
 * The one place where request codes meet their processors. Every processor here runs on the event loop (they
 * never block); add new request codes by registering another processor class in {@link #build}.
 */
public final class BrokerProcessors {
    private BrokerProcessors() {
    }

    public static ProcessorTable build(BrokerServices broker) {
        ProcessorTable table = new ProcessorTable();

        SendMessageProcessor send = new SendMessageProcessor(broker);
        table.register(RequestCode.SEND_MESSAGE, send::process)
                .register(RequestCode.SEND_MESSAGE_V2, send::process)
                .register(RequestCode.SEND_BATCH_MESSAGE, send::process);

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

        return table;
    }
}

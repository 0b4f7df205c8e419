package io.tern.broker.relay;

import io.tern.broker.BrokerServices;
import io.tern.remoting.ProcessorTable;
import io.tern.remoting.protocol.RequestCode;

/** Registers the admin calls that the broker relays to its clients (spec 3.5.4). */
public final class ClientRelays {
    private ClientRelays() {
    }

    public static void register(ProcessorTable table, BrokerServices broker) {
        ConsumerCallProcessors calls = new ConsumerCallProcessors(broker, ConsumerCallProcessors.CLIENT_CALL_TIMEOUT_MS);
        table.register(RequestCode.INVOKE_BROKER_TO_RESET_OFFSET, new ResetOffsetProcessor(broker)::process)
                .register(RequestCode.INVOKE_BROKER_TO_GET_CONSUMER_STATUS, new ConsumerStatusProcessor(broker)::process)
                .register(RequestCode.GET_CONSUMER_RUNNING_INFO, calls::consumerRunningInfo)
                .register(RequestCode.CONSUME_MESSAGE_DIRECTLY, calls::consumeMessageDirectly);
    }
}

package io.tern.broker;

import io.tern.broker.progress.ConsumeProgressProcessors;
import io.tern.broker.relay.ClientRelays;
import io.tern.broker.transaction.ResumeCheckHalfMessageProcessor;
import io.tern.remoting.ProcessorTable;
import io.tern.remoting.protocol.RequestCode;

/**
 * Registers the admin and relay calls built on branch broker-extras (src-docs/broker-extras.md): relays to clients
 * (220–223, 307, 309), consume-progress admin (303, 308, 314, 317, 321) and RESUME_CHECK_HALF_MESSAGE (323).
 * All run on the event loop.
 */
public final class ExtraProcessors {
    private ExtraProcessors() {
    }

    public static void register(ProcessorTable table, BrokerServices broker) {
        ClientRelays.register(table, broker);
        new ConsumeProgressProcessors(broker).register(table);
        table.register(RequestCode.RESUME_CHECK_HALF_MESSAGE, new ResumeCheckHalfMessageProcessor(broker)::process);
    }
}

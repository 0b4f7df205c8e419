package io.tern.broker;

import java.util.concurrent.atomic.LongAdder;

/** Counters for GET_BROKER_RUNTIME_INFO; cheap to bump from any thread. */
public final class BrokerStats {
    public final LongAdder messagesPut = new LongAdder();
    public final LongAdder messagesGot = new LongAdder();
}

package io.tern.broker;

import io.tern.broker.retry.SendMessageBackProcessor;
import io.tern.broker.schedule.ScheduleFeature;
import io.tern.remoting.ProcessorTable;
import io.vertx.core.Future;
import java.nio.file.Path;

/**
 * The broker features beyond send/pull/offsets/queries/locks/admin: scheduled delivery, retry and dead-letter,
 * transactions and admin relays to clients. {@link Broker} opens them with the store,
 * registers their request codes, starts their background services once serving and stops them before the store
 * shuts down.
 *
 * <p>{@link #open} blocks (off event loops); {@link #register} runs once while the processor table is built.
 */
public final class BrokerExtras {
    private final BrokerServices broker;
    private final ScheduleFeature schedule;

    private BrokerExtras(BrokerServices broker, ScheduleFeature schedule) {
        this.broker = broker;
        this.schedule = schedule;
    }

    /** Loads the features' state under {@code storeRoot/config}; blocking. */
    public static BrokerExtras open(BrokerServices broker) throws Exception {
        BrokerExtrasConfig config = broker.config.extras;
        Path configDir = Path.of(broker.config.store.storeRoot, "config");
        ScheduleFeature schedule = ScheduleFeature.open(broker, config, configDir);
        return new BrokerExtras(broker, schedule);
    }

    public void register(ProcessorTable table) {
        schedule.register(table);
        new SendMessageBackProcessor(broker, schedule.levels()).register(table);
    }

    public Future<Void> start() {
        return schedule.start();
    }

    public Future<Void> stop() {
        return schedule.stop();
    }

    public ScheduleFeature schedule() {
        return schedule;
    }
}

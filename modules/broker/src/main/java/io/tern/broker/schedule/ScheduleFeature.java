package io.tern.broker.schedule;

import io.tern.broker.BrokerExtrasConfig;
import io.tern.broker.BrokerServices;
import io.tern.broker.config.ConfigFile;
import io.tern.broker.config.ConfigPersister;
import io.tern.remoting.ProcessorTable;
import io.tern.remoting.RemotingConnection;
import io.tern.remoting.protocol.RemotingCommand;
import io.tern.remoting.protocol.RequestCode;
import io.vertx.core.Future;
import java.io.IOException;
import java.nio.file.Path;

/**
 * Scheduled delivery as a unit: the delay offsets (loaded at open, persisted every
 * {@code flushDelayOffsetIntervalMs} and at stop), the {@link ScheduleMessageService} verticle and
 * GET_ALL_DELAY_OFFSET (45).
 *
 * <p>{@link #open} blocks (call off event loops); the rest is non-blocking and thread-safe.
 */
public final class ScheduleFeature {
    private final BrokerServices broker;
    private final BrokerExtrasConfig config;
    private final DelayLevelTable levels;
    private final DelayOffsetTable offsets = new DelayOffsetTable();
    private final ConfigPersister persister;
    private String deploymentId;
    private long persistTimer = -1;

    private ScheduleFeature(BrokerServices broker, BrokerExtrasConfig config, ConfigFile file) {
        this.broker = broker;
        this.config = config;
        this.levels = DelayLevelTable.parse(broker.config.store.messageDelayLevel);
        this.persister = new ConfigPersister(broker.vertx, file, offsets::encode);
    }

    /** Loads config/delayOffset.json; blocking. */
    public static ScheduleFeature open(BrokerServices broker, BrokerExtrasConfig config, Path configDir)
            throws IOException {
        ConfigFile file = new ConfigFile(configDir, "delayOffset.json");
        ScheduleFeature f = new ScheduleFeature(broker, config, file);
        f.offsets.load(file);
        return f;
    }

    public DelayLevelTable levels() {
        return levels;
    }

    public DelayOffsetTable offsets() {
        return offsets;
    }

    public void register(ProcessorTable table) {
        table.register(RequestCode.GET_ALL_DELAY_OFFSET, this::allDelayOffsets);
    }

    public Future<Void> start() {
        ScheduleMessageService service = new ScheduleMessageService(broker, offsets, levels,
                config.scheduleIdleCheckMs, config.scheduleFirstDelayMs);
        return broker.vertx.deployVerticle(service).map(id -> {
            deploymentId = id;
            persistTimer = broker.vertx.setPeriodic(Math.max(100, config.flushDelayOffsetIntervalMs),
                    t -> persister.requestPersist());
            return null;
        });
    }

    /** Stops delivery and writes the offsets. */
    public Future<Void> stop() {
        if (persistTimer >= 0) {
            broker.vertx.cancelTimer(persistTimer);
        }
        Future<Void> undeployed = deploymentId == null ? Future.succeededFuture()
                : broker.vertx.undeploy(deploymentId);
        return undeployed.eventually(persister::persistNow);
    }

    private Future<RemotingCommand> allDelayOffsets(RemotingConnection conn, RemotingCommand req) {
        return Future.succeededFuture(RemotingCommand.successTo(req).body(offsets.encode()));
    }
}

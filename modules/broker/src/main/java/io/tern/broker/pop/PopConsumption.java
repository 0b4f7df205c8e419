package io.tern.broker.pop;

import io.tern.broker.BrokerAddress;
import io.tern.broker.BrokerConfig;
import io.tern.broker.BrokerStats;
import io.tern.broker.client.ConsumerRegistry;
import io.tern.broker.config.ConfigFile;
import io.tern.broker.config.ConfigPersister;
import io.tern.broker.config.ConsumerOffsetManager;
import io.tern.broker.config.SubscriptionGroupManager;
import io.tern.broker.config.TopicConfigManager;
import io.tern.broker.metrics.TrafficMeters;
import io.tern.broker.pull.PullHoldTable;
import io.tern.remoting.ProcessorTable;
import io.tern.remoting.protocol.RequestCode;
import io.tern.store.MessageStore;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * RocketMQ 5 pop consumption as one broker component (src-docs/pop.md): the live checkpoints, the revive log they
 * are kept in, ordered-pop locks, long polling, the request modes, and the processors and reviver that use them.
 * {@link #open} replays the revive log (blocking: call it where the broker opens); {@link #register} adds the
 * request codes; {@link #reviveVerticle} is deployed by a master.
 */
public final class PopConsumption {
    private static final Logger LOG = LoggerFactory.getLogger(PopConsumption.class);

    private final BrokerConfig config;
    private final PopCheckpointTable table;
    private final PopReviver reviver;
    private final PopMessageProcessor pop;
    private final PopAckProcessors acks;
    private final NotificationProcessors notifications;
    private final AssignmentProcessors assignments;
    private final ConfigPersister modesPersister;

    private PopConsumption(BrokerConfig config, PopCheckpointTable table, PopReviver reviver, PopMessageProcessor pop,
                           PopAckProcessors acks, NotificationProcessors notifications,
                           AssignmentProcessors assignments, ConfigPersister modesPersister) {
        this.config = config;
        this.table = table;
        this.reviver = reviver;
        this.pop = pop;
        this.acks = acks;
        this.notifications = notifications;
        this.assignments = assignments;
        this.modesPersister = modesPersister;
    }

    /** Builds the component and rebuilds the live checkpoints from the revive log. Blocking. */
    public static PopConsumption open(Vertx vertx, BrokerConfig config, BrokerAddress address, MessageStore store,
                                      TopicConfigManager topics, SubscriptionGroupManager groups,
                                      ConsumerOffsetManager offsets, ConsumerRegistry consumers, PullHoldTable holds,
                                      BrokerStats stats, TrafficMeters traffic, Path configDir) throws IOException {
        PopCheckpointTable table = new PopCheckpointTable();
        ReviveLog log = new ReviveLog(store, topics, address, PopNames.reviveTopic(config.clusterName));
        long from = Math.max(0, offsets.query(PopNames.REVIVE_GROUP, log.topic, PopNames.REVIVE_QUEUE_ID));
        long records = log.replay(from, table);
        if (records > 0) {
            LOG.info("pop: replayed {} revive-log records from offset {}, {} checkpoints live", records, from,
                    table.size());
        }
        MessageRequestModes modes = new MessageRequestModes();
        ConfigFile modesFile = new ConfigFile(configDir, "messageRequestMode.json");
        modes.load(modesFile);
        ConfigPersister modesPersister = new ConfigPersister(vertx, modesFile, modes::encode);
        OrderedPops ordered = new OrderedPops();
        PopPolling polling = new PopPolling(vertx, holds, config.popPollingSize, config.maxPopPollingSize);
        PopMessageProcessor pop = new PopMessageProcessor(config, address, store, topics, groups, offsets, table, log,
                ordered, polling, stats, traffic);
        return new PopConsumption(config, table,
                new PopReviver(address, store, topics, groups, offsets, table, log), pop,
                new PopAckProcessors(topics, offsets, table, log, ordered),
                new NotificationProcessors(topics, groups, pop, polling),
                new AssignmentProcessors(config, topics, groups, consumers, modes, modesPersister),
                modesPersister);
    }

    public void register(ProcessorTable t) {
        t.register(RequestCode.POP_MESSAGE, pop::process)
                .register(RequestCode.ACK_MESSAGE, acks::ack)
                .register(RequestCode.BATCH_ACK_MESSAGE, acks::batchAck)
                .register(RequestCode.CHANGE_MESSAGE_INVISIBLETIME, acks::changeInvisibleTime)
                .register(RequestCode.NOTIFICATION, notifications::notification)
                .register(RequestCode.POLLING_INFO, notifications::pollingInfo)
                .register(RequestCode.QUERY_ASSIGNMENT, assignments::queryAssignment)
                .register(RequestCode.SET_MESSAGE_REQUEST_MODE, assignments::setMessageRequestMode)
                .register(RequestCode.GET_ALL_MESSAGE_REQUEST_MODE, assignments::allMessageRequestModes);
    }

    /** A new revive verticle (a master deploys one). */
    public PopReviveVerticle reviveVerticle() {
        return new PopReviveVerticle(reviver, config.popReviveIntervalMs);
    }

    /** Writes the request modes now (shutdown). */
    public void persistBlocking() throws IOException {
        modesPersister.persistBlocking();
    }
}

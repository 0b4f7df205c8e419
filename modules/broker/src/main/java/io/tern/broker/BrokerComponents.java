package io.tern.broker;

import io.tern.broker.client.ConsumerRegistry;
import io.tern.broker.client.ProducerRegistry;
import io.tern.broker.config.ConsumerOffsetManager;
import io.tern.broker.config.SubscriptionGroupManager;
import io.tern.broker.config.TopicConfigManager;
import io.tern.broker.ha.Replication;
import io.tern.broker.metrics.BrokerMetrics;
import io.tern.broker.namesrv.NameServerRegistrar;
import io.tern.broker.pop.PopConsumption;
import io.tern.broker.pull.PullHoldTable;
import io.tern.broker.schedule.DelayLevelOffsets;
import io.tern.store.MessageStore;
import io.vertx.core.Vertx;

/**
 * The broker's long-lived components, in the order {@link Broker#open} builds them; complete and immutable from
 * construction on (the one value known only after binding, the port, lives in {@link BrokerAddress}).
 *
 * <p>Read whole only where the broker is put together: {@link BrokerProcessors}, which hands each processor just
 * the collaborators it uses, and the HTTP API verticle, which does the same for its routes. Processors never see
 * it. Every component is thread-safe (processors run on several event loops at once).
 *
 * @param address         brokerIP1 and, once bound, the remoting port
 * @param bootTimestampMs when the broker began to open
 * @param store           the store as processors see it (a SYNC_MASTER's waits for slaves, a slave's refuses puts)
 * @param replication     this broker's part in its group's replication
 * @param pop             pop consumption: checkpoints, revive log, its processors and reviver
 */
public record BrokerComponents(Vertx vertx, BrokerConfig config, BrokerAddress address, long bootTimestampMs,
                               MessageStore store, TopicConfigManager topics, SubscriptionGroupManager groups,
                               ConsumerOffsetManager offsets, ConsumerRegistry consumers, ProducerRegistry producers,
                               PullHoldTable holds, BrokerStats stats, BrokerMetrics metrics,
                               DelayLevelOffsets schedule, NameServerRegistrar registrar, Replication replication,
                               PopConsumption pop) {
}

package io.tern.broker;

import io.tern.broker.client.ConsumerRegistry;
import io.tern.broker.client.ProducerRegistry;
import io.tern.broker.config.ConsumerOffsetManager;
import io.tern.broker.config.SubscriptionGroupManager;
import io.tern.broker.config.TopicConfigManager;
import io.tern.broker.pull.PullHoldTable;
import io.tern.store.MessageStore;
import io.vertx.core.Vertx;

/**
 * The broker's shared state handed to every processor: configuration, the store and the registries.
 * Every member is thread-safe (processors run on several event loops at once).
 */
public final class BrokerServices {
    public final Vertx vertx;
    public final BrokerConfig config;
    public final MessageStore store;
    public final TopicConfigManager topics;
    public final SubscriptionGroupManager groups;
    public final ConsumerOffsetManager offsets;
    public final ConsumerRegistry consumers;
    public final ProducerRegistry producers;
    public final PullHoldTable holds;
    /** brokerIP1 as 4 or 16 bytes: the STOREHOST of every record and the address inside offset msg ids. */
    public final byte[] storeHostAddress;
    /** The actual remoting port, set once the server is bound (before the broker registers anywhere). */
    public volatile int storeHostPort;
    /** "brokerIP1:port", what clients dial. */
    public volatile String brokerAddr;
    public final long bootTimestampMs = System.currentTimeMillis();
    public final BrokerStats stats = new BrokerStats();
    /** The broker's Prometheus registry and the processors' per-topic/group counters. */
    public final io.tern.broker.metrics.BrokerMetrics metrics = new io.tern.broker.metrics.BrokerMetrics();
    /** Progress of scheduled delivery (level offsets); set once while the broker opens. */
    public volatile io.tern.broker.schedule.ScheduleMessageService schedule;
    /** Registration with the nameservers; set once the server is bound. */
    public volatile io.tern.broker.namesrv.NameServerRegistrar registrar;

    public BrokerServices(Vertx vertx, BrokerConfig config, MessageStore store, TopicConfigManager topics,
                          SubscriptionGroupManager groups, ConsumerOffsetManager offsets, ConsumerRegistry consumers,
                          ProducerRegistry producers, PullHoldTable holds, byte[] storeHostAddress) {
        this.vertx = vertx;
        this.config = config;
        this.store = store;
        this.topics = topics;
        this.groups = groups;
        this.offsets = offsets;
        this.consumers = consumers;
        this.producers = producers;
        this.holds = holds;
        this.storeHostAddress = storeHostAddress;
        bound(config.listenPort);
    }

    /** Records the actual remoting port. */
    void bound(int port) {
        this.storeHostPort = port;
        this.brokerAddr = config.brokerIP1 + ":" + port;
    }
}

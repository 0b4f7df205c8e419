package io.tern.broker.metrics;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.tern.broker.BrokerStats;
import io.tern.broker.client.ConsumerGroupInfo;
import io.tern.broker.client.ConsumerRegistry;
import io.tern.broker.client.ProducerRegistry;
import io.tern.broker.config.ConsumerOffsetManager;
import io.tern.broker.config.TopicConfigManager;
import io.tern.broker.pull.PullHoldTable;
import io.tern.store.MessageStore;
import io.tern.store.StoreStats;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.ToDoubleFunction;

/**
 * Broker state read at scrape time: store positions and health (one {@link StoreStats} snapshot per scrape),
 * parked pulls, connections, online consumers and producers per group, the broker-wide put/get totals of
 * {@link io.tern.broker.BrokerStats} (reused, not counted again) and consumer lag per group and topic.
 *
 * <p>Lag of a group on a topic = Σ over the topic's read queues of max(0, queue max offset − committed offset),
 * a queue without a commit counting from 0 (as GET_CONSUME_STATS reports it).
 *
 * <p>{@link #refresh} is called by the scraping thread before each scrape; gauges read the snapshot it leaves.
 */
final class BrokerGauges {
    private final MessageStore messageStore;
    private final ConsumerOffsetManager offsets;
    private final ConsumerRegistry consumers;
    private final ProducerRegistry producers;
    private final ConsumerLag consumerLag;
    private final MultiGauge lag;
    private final MultiGauge onlineConsumers;
    private final MultiGauge onlineProducers;
    private volatile StoreStats store;

    BrokerGauges(MessageStore messageStore, TopicConfigManager topics, ConsumerOffsetManager offsets,
                 ConsumerRegistry consumers, ProducerRegistry producers, PullHoldTable holds, BrokerStats stats,
                 MeterRegistry registry, AtomicInteger connections) {
        this.messageStore = messageStore;
        this.offsets = offsets;
        this.consumers = consumers;
        this.producers = producers;
        this.consumerLag = new ConsumerLag(topics, messageStore, offsets);
        this.store = messageStore.stats();
        storeGauge(registry, "tern.commitlog.max.offset", "Commit-log end (next physical write offset)",
                s -> s.maxPhysicalOffset());
        storeGauge(registry, "tern.commitlog.min.offset", "Smallest physical offset still on disk",
                s -> s.minPhysicalOffset());
        storeGauge(registry, "tern.commitlog.flushed.offset", "Physical offset flushed to disk",
                s -> s.flushedPhysicalOffset());
        storeGauge(registry, "tern.store.dispatch.behind", "Commit-log bytes not yet dispatched to consume queues",
                s -> s.dispatchBehindBytes());
        FunctionCounter.builder("tern.store.writer.requests", this, g -> g.store.writerRequests())
                .description("Requests (puts, batches) the store writer took").register(registry);
        FunctionCounter.builder("tern.store.writer.queued", this, g -> g.store.writerQueueNanos() / 1e9)
                .description("Summed over the writer's requests: time from the hand-off to the writer taking it")
                .baseUnit("seconds").register(registry);
        FunctionCounter.builder("tern.store.writer.batch", this, g -> g.store.writerBatchNanos() / 1e9)
                .description("Summed over the writer's requests: time in the writer's batch (copied in; under "
                        + "ASYNC_FLUSH also dispatched and answered)")
                .baseUnit("seconds").register(registry);
        Gauge.builder("tern.store.disk.ratio", this, g -> g.store.commitLogDiskRatio())
                .description("Used fraction of the disk holding the commit log (0..1)").register(registry);
        Gauge.builder("tern.store.writable", messageStore, m -> m.isWritable() ? 1 : 0)
                .description("1 while the store accepts puts, 0 once read-only (disk full, I/O error)")
                .register(registry);
        Gauge.builder("tern.pull.parked", holds, PullHoldTable::parkedCount)
                .description("Long-poll pull requests parked waiting for messages").baseUnit("requests")
                .register(registry);
        Gauge.builder("tern.remoting.connections", connections, AtomicInteger::get)
                .description("Open remoting connections").baseUnit("connections").register(registry);
        FunctionCounter.builder("tern.broker.messages.put", stats, st -> st.messagesPut.sum())
                .description("Messages stored by sends, all topics (the runtime-info counter)").register(registry);
        FunctionCounter.builder("tern.broker.messages.got", stats, st -> st.messagesGot.sum())
                .description("Messages answered to pulls, all topics and groups (the runtime-info counter)")
                .register(registry);
        lag = MultiGauge.builder("tern.consumer.lag").baseUnit("messages")
                .description("Messages not yet consumed: per group and topic, max offset minus committed offset")
                .register(registry);
        onlineConsumers = MultiGauge.builder("tern.consumer.clients")
                .description("Consumer clients online (heartbeating), per group").register(registry);
        onlineProducers = MultiGauge.builder("tern.producer.clients")
                .description("Producer clients online (heartbeating), per producer group").register(registry);
    }

    private void storeGauge(MeterRegistry registry, String name, String description, ToDoubleFunction<StoreStats> f) {
        Gauge.builder(name, this, g -> f.applyAsDouble(g.store)).description(description).baseUnit("bytes")
                .register(registry);
    }

    void refresh() {
        store = messageStore.stats();
        List<MultiGauge.Row<?>> lagRows = new ArrayList<>();
        for (Map.Entry<String, Map<Integer, Long>> e : offsets.all().entrySet()) {
            String key = e.getKey();
            int at = key.indexOf(ConsumerOffsetManager.SEPARATOR);
            if (at <= 0) {
                continue;
            }
            String topic = key.substring(0, at);
            String group = key.substring(at + 1);
            long lagMessages = consumerLag.of(group, topic);
            if (lagMessages >= 0) {
                lagRows.add(MultiGauge.Row.of(Tags.of("group", group, "topic", topic), lagMessages));
            }
        }
        lag.register(lagRows, true);
        List<MultiGauge.Row<?>> clientRows = new ArrayList<>();
        for (ConsumerGroupInfo info : consumers.all().values()) {
            clientRows.add(MultiGauge.Row.of(Tags.of("group", info.groupName), info.channels().size()));
        }
        onlineConsumers.register(clientRows, true);
        List<MultiGauge.Row<?>> producerRows = new ArrayList<>();
        producers.all().forEach((group, members) ->
                producerRows.add(MultiGauge.Row.of(Tags.of("group", group), members.size())));
        onlineProducers.register(producerRows, true);
    }
}

package io.tern.client.impl;

import io.tern.client.TernClientException;
import io.tern.client.TernConsumer;
import io.tern.client.TernConsumerOptions;
import io.tern.client.TernConsumerOptions.MessageModel;
import io.tern.client.TernMessage;
import io.tern.common.message.MessageConst;
import io.tern.common.protocol.ConsumerData;
import io.tern.common.protocol.MessageQueue;
import io.tern.common.protocol.SubscriptionData;
import io.tern.common.protocol.SystemNames;
import io.tern.remoting.protocol.RemotingCommand;
import io.tern.remoting.protocol.RequestCode;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link TernConsumer}: subscriptions, rebalance (periodic, on NOTIFY_CONSUMER_IDS_CHANGED and at start), one
 * {@link QueuePuller} per owned queue, offset commits, send-back of failed messages. CLUSTERING consumers also
 * subscribe to the group's %RETRY% topic, where redeliveries arrive, as the official push consumer does.
 *
 * <p>Thread contract: public methods hop onto the client's context; everything else runs there.
 */
final class ConsumerImpl implements TernConsumer {
    private static final Logger LOG = LoggerFactory.getLogger(ConsumerImpl.class);

    final TernConsumerOptions options;
    final OffsetStore offsets;
    private final TernClientImpl client;
    private final String group;
    private final Map<String, SubscriptionData> subscriptions = new LinkedHashMap<>();
    private final Map<MessageQueue, QueuePuller> pullers = new HashMap<>();
    private final Rebalancer rebalancer;
    private final StartOffsetResolver startOffsets;
    private volatile Function<TernMessage, Future<Void>> handler;
    private volatile boolean paused;
    private volatile Set<MessageQueue> assignment = Set.of();
    private boolean started;
    private boolean closed;
    private Future<Void> closing;
    private long rebalanceTimer = -1;
    private long commitTimer = -1;
    private Promise<Void> rebalancing;
    private boolean rebalanceAgain;

    ConsumerImpl(TernClientImpl client, String group, TernConsumerOptions options) {
        this.client = client;
        this.group = Objects.requireNonNull(group, "group");
        this.options = options;
        this.offsets = options.getMessageModel() == MessageModel.CLUSTERING
                ? new BrokerOffsetStore(client.calls, client.routes, group)
                : new MemoryOffsetStore();
        this.rebalancer = new Rebalancer(client.calls, client.routes, group, client.clientId(),
                options.getMessageModel());
        this.startOffsets = new StartOffsetResolver(client.calls, client.routes, offsets, options);
    }

    @Override
    public String group() {
        return group;
    }

    @Override
    public TernConsumer subscribe(String topic, String tagExpression) {
        Objects.requireNonNull(topic, "topic");
        SubscriptionData sub = SubscriptionData.ofTags(topic, tagExpression);
        client.ctx.execute(() -> {
            subscriptions.put(topic, sub);
            if (started) {
                client.heartbeats.sendToAll().onComplete(v -> rebalanceNow());
            }
        });
        return this;
    }

    @Override
    public TernConsumer handler(Function<TernMessage, Future<Void>> handler) {
        this.handler = Objects.requireNonNull(handler, "handler");
        return this;
    }

    @Override
    public TernConsumer pause() {
        paused = true;
        return this;
    }

    @Override
    public TernConsumer resume() {
        paused = false;
        client.ctx.execute(() -> pullers.values().forEach(QueuePuller::kick));
        return this;
    }

    @Override
    public Set<MessageQueue> assignment() {
        return assignment;
    }

    @Override
    public Future<Void> start() {
        return client.ctx.call(() -> {
            if (started || closed) {
                return Future.failedFuture(new IllegalStateException("consumer " + group + " already started or closed"));
            }
            if (handler == null) {
                return Future.failedFuture(new IllegalStateException("set a handler before start()"));
            }
            if (subscriptions.isEmpty()) {
                return Future.failedFuture(new IllegalStateException("subscribe to a topic before start()"));
            }
            started = true;
            if (isClustering()) {
                String retryTopic = SystemNames.retryTopic(group);
                subscriptions.putIfAbsent(retryTopic, SubscriptionData.ofTags(retryTopic, SubscriptionData.SUB_ALL));
            }
            // routes first: they tell the heartbeat which brokers to register with
            List<Future<?>> routes = new ArrayList<>();
            subscriptions.keySet().forEach(t -> routes.add(client.routes.route(t)));
            return Future.join(routes).otherwiseEmpty()
                    .compose(v -> client.heartbeats.sendToAll())
                    .compose(v -> rebalance())
                    .onSuccess(v -> {
                        rebalanceTimer = client.ctx.setPeriodic(options.getRebalanceIntervalMs(), this::rebalanceNow);
                        commitTimer = client.ctx.setPeriodic(options.getOffsetCommitIntervalMs(), this::commitOffsets);
                    });
        });
    }

    boolean isStarted() {
        return started && !closed;
    }

    boolean isPaused() {
        return paused;
    }

    boolean isClustering() {
        return options.getMessageModel() == MessageModel.CLUSTERING;
    }

    ClientContext ctx() {
        return client.ctx;
    }

    RemotingCalls calls() {
        return client.calls;
    }

    RouteCache routes() {
        return client.routes;
    }

    SubscriptionData subscription(String topic) {
        return subscriptions.get(topic);
    }

    ConsumerData consumerData() {
        ConsumerData data = new ConsumerData();
        data.groupName = group;
        data.consumeType = ConsumerData.CONSUME_PASSIVELY;
        data.messageModel = options.getMessageModel().name();
        data.consumeFromWhere = options.getConsumeFromWhere().name();
        data.subscriptionDataSet.addAll(subscriptions.values());
        return data;
    }

    /** Rebalance soon (NOTIFY_CONSUMER_IDS_CHANGED, timer, subscription change). */
    void rebalanceNow() {
        if (isStarted()) {
            rebalance();
        }
    }

    /** One rebalance at a time; a request during one runs another right after it. */
    private Future<Void> rebalance() {
        if (rebalancing != null) {
            rebalanceAgain = true;
            return rebalancing.future();
        }
        Promise<Void> done = Promise.promise();
        rebalancing = done;
        List<String> topics = new ArrayList<>(subscriptions.keySet());
        List<Future<Set<MessageQueue>>> assignments = new ArrayList<>();
        for (String topic : topics) {
            assignments.add(rebalancer.assignment(topic).onFailure(e ->
                    LOG.debug("rebalance of {} / {} skipped: {}", group, topic, e.getMessage())));
        }
        Future.join(assignments).otherwiseEmpty().compose(v -> {
            if (!isStarted()) {
                // closed while the member list was being read
                return Future.succeededFuture();
            }
            List<Future<?>> starts = new ArrayList<>();
            boolean changed = false;
            for (int i = 0; i < topics.size(); i++) {
                if (assignments.get(i).succeeded()) {
                    changed |= apply(topics.get(i), assignments.get(i).result(), starts);
                }
            }
            assignment = Set.copyOf(pullers.keySet());
            if (changed) {
                client.heartbeats.sendToAll();
            }
            return Future.join(starts).otherwiseEmpty();
        }).onComplete(ar -> {
            rebalancing = null;
            done.complete();
            if (rebalanceAgain && isStarted()) {
                rebalanceAgain = false;
                rebalance();
            }
        });
        return done.future();
    }

    /** Drops queues of {@code topic} not in {@code target}, starts new ones; true when anything changed. */
    private boolean apply(String topic, Set<MessageQueue> target, List<Future<?>> starts) {
        boolean changed = false;
        Iterator<Map.Entry<MessageQueue, QueuePuller>> it = pullers.entrySet().iterator();
        while (it.hasNext()) {
            Map.Entry<MessageQueue, QueuePuller> e = it.next();
            MessageQueue mq = e.getKey();
            if (mq.topic.equals(topic) && !target.contains(mq)) {
                it.remove();
                drop(e.getValue());
                changed = true;
            }
        }
        for (MessageQueue mq : target) {
            if (!pullers.containsKey(mq)) {
                QueuePuller puller = new QueuePuller(this, mq);
                pullers.put(mq, puller);
                changed = true;
                starts.add(startOffsets.resolve(mq).onComplete(ar -> {
                    if (ar.succeeded()) {
                        puller.start(ar.result());
                    } else {
                        // retried by the next rebalance
                        LOG.warn("no start offset for {}: {}", mq, ar.cause().toString());
                        pullers.remove(mq, puller);
                        puller.stop();
                    }
                }));
            }
        }
        return changed;
    }

    private Future<Void> drop(QueuePuller puller) {
        puller.stop();
        if (!puller.isStarted()) {
            return Future.succeededFuture();
        }
        offsets.update(puller.mq, puller.commitOffset());
        return offsets.persistNow(puller.mq).onComplete(ar -> offsets.remove(puller.mq));
    }

    private void commitOffsets() {
        for (QueuePuller p : pullers.values()) {
            if (p.isStarted()) {
                offsets.update(p.mq, p.commitOffset());
            }
        }
        offsets.persist(pullers.keySet());
    }

    Future<Void> invokeHandler(TernMessage message) {
        try {
            Future<Void> f = handler.apply(message);
            return f != null ? f : Future.failedFuture(new IllegalStateException("the handler returned null"));
        } catch (RuntimeException e) {
            return Future.failedFuture(e);
        }
    }

    /** CONSUMER_SEND_MSG_BACK (36, spec 3.4.6): the broker redelivers through %RETRY%group after a delay. */
    Future<Void> sendBack(TernMessage m) {
        String addr = client.routes.masterAddr(m.receipt().brokerName());
        if (addr == null) {
            return Future.failedFuture(new TernClientException("no master for " + m.receipt().brokerName()));
        }
        RemotingCommand req = RemotingCommand.request(RequestCode.CONSUMER_SEND_MSG_BACK)
                .put("offset", m.receipt().commitLogOffset())
                .put("group", group)
                .put("delayLevel", options.getRetryDelayLevel())
                .put("originMsgId", m.msgId())
                .put("originTopic", m.topic())
                .put("unitMode", false)
                .put("maxReconsumeTimes", options.getMaxReconsumeTimes());
        return client.calls.invokeOk(addr, req).mapEmpty();
    }

    /**
     * The official client's fallback when the broker refuses a send-back: re-send the message itself to
     * %RETRY%group through the inner producer, with the retry bookkeeping in its properties (spec 3.4.6 step 4).
     */
    Future<Void> resendToRetryTopic(TernMessage m) {
        TernMessage copy = TernMessage.of(SystemNames.retryTopic(group), m.body()).setFlag(m.flag()).setKeys(m.keys())
                .setTags(m.tags());
        m.properties().forEach(copy::putProperty);
        copy.putProperty(MessageConst.RETRY_TOPIC, m.topic());
        if (m.property(MessageConst.ORIGIN_MESSAGE_ID) == null) {
            copy.putProperty(MessageConst.ORIGIN_MESSAGE_ID, m.msgId());
        }
        copy.putProperty(MessageConst.RECONSUME_TIME, String.valueOf(m.reconsumeTimes() + 1));
        copy.putProperty(MessageConst.MAX_RECONSUME_TIMES, String.valueOf(options.getMaxReconsumeTimes()));
        copy.setDelayLevel(options.getRetryDelayLevel() > 0 ? options.getRetryDelayLevel() : 3 + m.reconsumeTimes());
        return client.innerProducer.send(copy).mapEmpty();
    }

    @Override
    public Future<Void> close() {
        return client.ctx.call(() -> {
            if (closing != null) {
                return closing;
            }
            closed = true;
            client.ctx.cancelTimer(rebalanceTimer);
            client.ctx.cancelTimer(commitTimer);
            List<Future<?>> drops = new ArrayList<>();
            pullers.values().forEach(p -> drops.add(drop(p)));
            pullers.clear();
            assignment = Set.of();
            closing = Future.join(drops).otherwiseEmpty().compose(v -> client.removeConsumer(this));
            return closing;
        });
    }
}

package io.tern.client.impl;

import io.tern.client.TernClient;
import io.tern.client.TernClientOptions;
import io.tern.client.TernConsumer;
import io.tern.client.TernConsumerOptions;
import io.tern.client.TernProducer;
import io.tern.common.protocol.ConsumerData;
import io.tern.common.protocol.SystemNames;
import io.tern.remoting.ProcessorTable;
import io.tern.remoting.RemotingClient;
import io.tern.remoting.acl.AclCredentials;
import io.tern.remoting.protocol.RemotingCommand;
import io.tern.remoting.protocol.RequestCode;
import io.tern.remoting.security.ClientTls;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@link TernClient}: owns the remoting client, the route cache, heartbeats and the route poll, and the groups
 * running on it.
 *
 * <p>Thread contract: public methods may be called from any thread; state changes happen on the client's context
 * (the group maps are concurrent so that create* can register synchronously).
 */
public final class TernClientImpl implements TernClient {
    final ClientContext ctx;
    final RemotingCalls calls;
    final RouteCache routes;
    final UniqueIdGenerator ids;
    final HeartbeatSender heartbeats;
    /** CLIENT_INNER_PRODUCER: re-sends failed messages to %RETRY% topics when a broker refuses a send-back. */
    final ProducerImpl innerProducer;
    private final String clientId;
    private final Map<String, ProducerImpl> producers = new ConcurrentHashMap<>();
    private final Map<String, ConsumerImpl> consumers = new ConcurrentHashMap<>();
    private final RemotingClient remoting;
    private final long routeTimer;
    private final long heartbeatTimer;
    private Future<Void> closing;

    private TernClientImpl(Vertx vertx, TernClientOptions options) {
        this.ctx = new ClientContext(vertx);
        byte[] ip = options.getClientIp() != null ? ClientAddress.parse(options.getClientIp()) : ClientAddress.localIpv4();
        String instance = options.getInstanceName() != null ? options.getInstanceName()
                : ProcessHandle.current().pid() + "#" + System.nanoTime();
        this.clientId = ClientAddress.format(ip) + "@" + instance;
        this.ids = new UniqueIdGenerator(ip);
        ProcessorTable processors = new ProcessorTable()
                .register(RequestCode.NOTIFY_CONSUMER_IDS_CHANGED, (conn, req) -> {
                    String group = req.ext("consumerGroup");
                    ctx.execute(() -> {
                        ConsumerImpl consumer = group == null ? null : consumers.get(group);
                        if (consumer != null) {
                            consumer.rebalanceNow();
                        }
                    });
                    return null;
                });
        this.remoting = new RemotingClient(vertx, processors,
                new ClientTls(options.isTls(), options.getTlsTrustCertFile()),
                AclCredentials.ofNullable(options.getAccessKey(), options.getSecretKey()));
        this.calls = new RemotingCalls(remoting, ctx, options.getRequestTimeoutMs());
        this.routes = new RouteCache(calls, options.getNamesrvAddrs());
        this.innerProducer = new ProducerImpl(this, SystemNames.CLIENT_INNER_PRODUCER_GROUP);
        this.heartbeats = new HeartbeatSender(calls, routes, clientId, this::producerGroups, this::consumerData);
        // like the 5.x client: a broker learns about our groups as soon as we know about it
        routes.onNewBrokerAddress(heartbeats::sendToAll);
        this.routeTimer = ctx.setPeriodic(options.getRoutePollIntervalMs(), routes::refreshAll);
        this.heartbeatTimer = ctx.setPeriodic(options.getHeartbeatIntervalMs(), heartbeats::sendToAll);
    }

    public static TernClient create(Vertx vertx, TernClientOptions options) {
        return new TernClientImpl(vertx, options);
    }

    @Override
    public String clientId() {
        return clientId;
    }

    @Override
    public TernProducer createProducer(String group) {
        checkOpen();
        ProducerImpl producer = new ProducerImpl(this, group);
        if (producers.putIfAbsent(group, producer) != null) {
            throw new IllegalStateException("this client already has a producer of group " + group);
        }
        ctx.execute(heartbeats::sendToAll);
        return producer;
    }

    @Override
    public TernConsumer createConsumer(String group, TernConsumerOptions options) {
        checkOpen();
        ConsumerImpl consumer = new ConsumerImpl(this, group, options);
        if (consumers.putIfAbsent(group, consumer) != null) {
            throw new IllegalStateException("this client already has a consumer of group " + group);
        }
        return consumer;
    }

    private void checkOpen() {
        if (closing != null) {
            throw new IllegalStateException("client closed");
        }
    }

    /** Every running client lists the inner producer group too, as the official client does (spec 4.2.4). */
    private Collection<String> producerGroups() {
        List<String> groups = new ArrayList<>(producers.keySet());
        groups.add(SystemNames.CLIENT_INNER_PRODUCER_GROUP);
        return groups;
    }

    private Collection<ConsumerData> consumerData() {
        List<ConsumerData> data = new ArrayList<>();
        for (ConsumerImpl c : consumers.values()) {
            if (c.isStarted()) {
                data.add(c.consumerData());
            }
        }
        return data;
    }

    Future<Void> removeProducer(ProducerImpl producer) {
        producers.remove(producer.group(), producer);
        return unregister("producerGroup", producer.group());
    }

    Future<Void> removeConsumer(ConsumerImpl consumer) {
        consumers.remove(consumer.group(), consumer);
        return unregister("consumerGroup", consumer.group());
    }

    /** UNREGISTER_CLIENT (35) for one group on every broker; failures are ignored (the broker expires us anyway). */
    private Future<Void> unregister(String headerName, String group) {
        List<Future<?>> sent = new ArrayList<>();
        for (String addr : routes.brokerAddrs(false)) {
            RemotingCommand req = RemotingCommand.request(RequestCode.UNREGISTER_CLIENT)
                    .put("clientID", clientId)
                    .put(headerName, group);
            sent.add(calls.invoke(addr, req));
        }
        return Future.join(sent).<Void>mapEmpty().otherwiseEmpty();
    }

    @Override
    public Future<Void> close() {
        return ctx.call(() -> {
            if (closing == null) {
                ctx.cancelTimer(routeTimer);
                ctx.cancelTimer(heartbeatTimer);
                List<Future<?>> groups = new ArrayList<>();
                consumers.values().forEach(c -> groups.add(c.close()));
                producers.values().forEach(p -> groups.add(p.close()));
                groups.add(innerProducer.close());
                closing = Future.join(groups).otherwiseEmpty().compose(v -> remoting.close()).otherwiseEmpty()
                        .mapEmpty();
            }
            return closing;
        });
    }
}

package io.tern.client.impl;

import io.tern.common.Json;
import io.tern.common.protocol.ConsumerData;
import io.tern.common.protocol.HeartbeatData;
import io.tern.common.protocol.ProducerData;
import io.tern.remoting.protocol.RemotingCommand;
import io.tern.remoting.protocol.RequestCode;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * HEART_BEAT (34, spec 3.5.1): tells every broker which producer and consumer groups (with subscriptions) this client
 * runs. Sent periodically, after a group starts and after a rebalance changed the assignment. Producers only need
 * masters; with a consumer it goes to every known address, as the official client does.
 *
 * <p>Not thread-safe; owned by the client's context.
 */
final class HeartbeatSender {
    private static final Logger LOG = LoggerFactory.getLogger(HeartbeatSender.class);

    private final RemotingCalls calls;
    private final RouteCache routes;
    private final String clientId;
    private final Supplier<Collection<String>> producerGroups;
    private final Supplier<Collection<ConsumerData>> consumerData;

    HeartbeatSender(RemotingCalls calls, RouteCache routes, String clientId, Supplier<Collection<String>> producerGroups,
                    Supplier<Collection<ConsumerData>> consumerData) {
        this.calls = calls;
        this.routes = routes;
        this.clientId = clientId;
        this.producerGroups = producerGroups;
        this.consumerData = consumerData;
    }

    /** Completes when every broker answered (or failed: a failure is logged, the next round retries). */
    Future<Void> sendToAll() {
        HeartbeatData data = new HeartbeatData();
        data.clientID = clientId;
        for (String group : producerGroups.get()) {
            data.producerDataSet.add(new ProducerData(group));
        }
        data.consumerDataSet.addAll(consumerData.get());
        if (data.producerDataSet.isEmpty() && data.consumerDataSet.isEmpty()) {
            return Future.succeededFuture();
        }
        byte[] body = Json.toBytes(data);
        List<Future<?>> sent = new ArrayList<>();
        for (String addr : routes.brokerAddrs(data.consumerDataSet.isEmpty())) {
            RemotingCommand req = RemotingCommand.request(RequestCode.HEART_BEAT).body(body);
            sent.add(calls.invoke(addr, req).onComplete(ar -> {
                if (ar.failed() || ar.result().code() != 0) {
                    LOG.warn("heartbeat to {} failed: {}", addr, ar.failed() ? ar.cause().toString()
                            : ar.result().remark());
                }
            }));
        }
        return Future.join(sent).<Void>mapEmpty().otherwiseEmpty();
    }
}

package io.tern.client.impl;

import io.tern.client.TernClientException;
import io.tern.common.protocol.MessageQueue;
import io.tern.remoting.protocol.RemotingCommand;
import io.tern.remoting.protocol.RequestCode;
import io.tern.remoting.protocol.ResponseCode;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * CLUSTERING offsets, kept by the broker of each queue: QUERY_CONSUMER_OFFSET (14) when a queue is assigned (22 = the
 * group has none yet), UPDATE_CONSUMER_OFFSET (15) oneway every commit interval, and as a request when a queue is
 * dropped or the consumer closes so that the next owner starts where this one stopped (spec 3.4.2, 3.4.3).
 *
 * <p>Not thread-safe; owned by the client's context.
 */
final class BrokerOffsetStore implements OffsetStore {
    private final RemotingCalls calls;
    private final RouteCache routes;
    private final String group;
    private final Map<MessageQueue, Long> offsets = new HashMap<>();

    BrokerOffsetStore(RemotingCalls calls, RouteCache routes, String group) {
        this.calls = calls;
        this.routes = routes;
        this.group = group;
    }

    @Override
    public Future<Long> read(MessageQueue mq) {
        String addr = routes.masterAddr(mq.brokerName);
        if (addr == null) {
            return Future.failedFuture(new TernClientException("no master for " + mq.brokerName));
        }
        RemotingCommand req = RemotingCommand.request(RequestCode.QUERY_CONSUMER_OFFSET)
                .put("consumerGroup", group).put("topic", mq.topic).put("queueId", mq.queueId);
        return calls.invoke(addr, req).compose(resp -> switch (resp.code()) {
            case ResponseCode.SUCCESS -> Future.succeededFuture(resp.extLong("offset", -1));
            case ResponseCode.QUERY_NOT_FOUND -> Future.succeededFuture(-1L);
            default -> Future.failedFuture(new TernClientException(resp.code(), resp.remark()));
        });
    }

    @Override
    public void update(MessageQueue mq, long offset) {
        offsets.put(mq, offset);
    }

    @Override
    public void persist(Collection<MessageQueue> queues) {
        for (MessageQueue mq : queues) {
            Long offset = offsets.get(mq);
            String addr = routes.masterAddr(mq.brokerName);
            if (offset != null && offset >= 0 && addr != null) {
                calls.oneway(addr, request(mq, offset));
            }
        }
    }

    @Override
    public Future<Void> persistNow(MessageQueue mq) {
        Long offset = offsets.get(mq);
        String addr = routes.masterAddr(mq.brokerName);
        if (offset == null || offset < 0 || addr == null) {
            return Future.succeededFuture();
        }
        return calls.invoke(addr, request(mq, offset)).mapEmpty();
    }

    Future<Void> persistAllNow(Collection<MessageQueue> queues) {
        List<Future<?>> sent = new ArrayList<>();
        queues.forEach(mq -> sent.add(persistNow(mq)));
        return Future.join(sent).<Void>mapEmpty().otherwiseEmpty();
    }

    private RemotingCommand request(MessageQueue mq, long offset) {
        return RemotingCommand.request(RequestCode.UPDATE_CONSUMER_OFFSET)
                .put("consumerGroup", group).put("topic", mq.topic).put("queueId", mq.queueId)
                .put("commitOffset", offset);
    }

    @Override
    public void remove(MessageQueue mq) {
        offsets.remove(mq);
    }
}

package io.tern.client.impl;

import io.tern.client.TernClientException;
import io.tern.client.TernConsumerOptions;
import io.tern.client.TernConsumerOptions.ConsumeFromWhere;
import io.tern.common.protocol.MessageQueue;
import io.tern.common.protocol.SystemNames;
import io.tern.remoting.protocol.RemotingCommand;
import io.tern.remoting.protocol.RequestCode;
import io.vertx.core.Future;

/**
 * Where a newly assigned queue starts: the group's stored offset, else by consumeFromWhere (spec 3.4.2) — LAST:
 * GET_MAX_OFFSET (retry topics: 0); FIRST: 0; TIMESTAMP: SEARCH_OFFSET_BY_TIMESTAMP (retry topics: GET_MAX_OFFSET).
 *
 * <p>Not thread-safe; owned by the client's context.
 */
final class StartOffsetResolver {
    private final RemotingCalls calls;
    private final RouteCache routes;
    private final OffsetStore offsets;
    private final TernConsumerOptions options;

    StartOffsetResolver(RemotingCalls calls, RouteCache routes, OffsetStore offsets, TernConsumerOptions options) {
        this.calls = calls;
        this.routes = routes;
        this.offsets = offsets;
        this.options = options;
    }

    Future<Long> resolve(MessageQueue mq) {
        return offsets.read(mq).compose(stored -> stored >= 0 ? Future.succeededFuture(stored) : initial(mq));
    }

    private Future<Long> initial(MessageQueue mq) {
        boolean retry = SystemNames.isRetryTopic(mq.topic);
        ConsumeFromWhere where = options.getConsumeFromWhere();
        return switch (where) {
            case CONSUME_FROM_FIRST_OFFSET -> Future.succeededFuture(0L);
            case CONSUME_FROM_LAST_OFFSET -> retry ? Future.succeededFuture(0L)
                    : ask(mq, RemotingCommand.request(RequestCode.GET_MAX_OFFSET));
            case CONSUME_FROM_TIMESTAMP -> retry ? ask(mq, RemotingCommand.request(RequestCode.GET_MAX_OFFSET))
                    : ask(mq, RemotingCommand.request(RequestCode.SEARCH_OFFSET_BY_TIMESTAMP)
                            .put("timestamp", options.getConsumeTimestampMs()));
        };
    }

    private Future<Long> ask(MessageQueue mq, RemotingCommand req) {
        String addr = routes.masterAddr(mq.brokerName);
        if (addr == null) {
            return Future.failedFuture(new TernClientException("no master for " + mq.brokerName));
        }
        req.put("topic", mq.topic).put("queueId", mq.queueId);
        return calls.invokeOk(addr, req).map(resp -> resp.extLong("offset", 0));
    }
}

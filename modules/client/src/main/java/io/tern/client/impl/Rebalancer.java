package io.tern.client.impl;

import com.fasterxml.jackson.databind.JsonNode;
import io.tern.client.TernConsumerOptions.MessageModel;
import io.tern.common.Json;
import io.tern.common.protocol.MessageQueue;
import io.tern.common.protocol.PermName;
import io.tern.common.protocol.QueueData;
import io.tern.common.protocol.TopicRouteData;
import io.tern.remoting.protocol.RemotingCommand;
import io.tern.remoting.protocol.RequestCode;
import io.vertx.core.Future;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Computes which queues of a topic this consumer should own (spec 3.4.5, 7.2): the topic's readable queues from its
 * route; BROADCASTING owns them all, CLUSTERING asks a broker of the topic for the group's members
 * (GET_CONSUMER_LIST_BY_GROUP) and takes its {@link QueueAllocator average share}.
 *
 * <p>Not thread-safe; owned by the client's context.
 */
final class Rebalancer {
    private final RemotingCalls calls;
    private final RouteCache routes;
    private final String group;
    private final String clientId;
    private final MessageModel model;

    Rebalancer(RemotingCalls calls, RouteCache routes, String group, String clientId, MessageModel model) {
        this.calls = calls;
        this.routes = routes;
        this.group = group;
        this.clientId = clientId;
        this.model = model;
    }

    /** This consumer's queues of {@code topic}; fails when the route or the member list cannot be read. */
    Future<Set<MessageQueue>> assignment(String topic) {
        return routes.route(topic).compose(route -> {
            List<MessageQueue> all = readableQueues(topic, route);
            if (model == MessageModel.BROADCASTING || all.isEmpty()) {
                return Future.succeededFuture(new LinkedHashSet<>(all));
            }
            return memberIds(route).map(ids -> new LinkedHashSet<>(QueueAllocator.allocate(all, ids, clientId)));
        });
    }

    static List<MessageQueue> readableQueues(String topic, TopicRouteData route) {
        List<MessageQueue> queues = new ArrayList<>();
        for (QueueData qd : route.queueDatas) {
            if (PermName.isReadable(qd.perm)) {
                for (int i = 0; i < qd.readQueueNums; i++) {
                    queues.add(new MessageQueue(topic, qd.brokerName, i));
                }
            }
        }
        Collections.sort(queues);
        return queues;
    }

    /** Sorted client ids of the group, from a random broker of the topic (all brokers know all members). */
    private Future<List<String>> memberIds(TopicRouteData route) {
        List<String> addrs = new ArrayList<>();
        for (QueueData qd : route.queueDatas) {
            String addr = routes.masterAddr(qd.brokerName);
            if (addr != null) {
                addrs.add(addr);
            }
        }
        if (addrs.isEmpty()) {
            return Future.failedFuture(new IllegalStateException("no broker address for group " + group));
        }
        String addr = addrs.get(ThreadLocalRandom.current().nextInt(addrs.size()));
        RemotingCommand req = RemotingCommand.request(RequestCode.GET_CONSUMER_LIST_BY_GROUP)
                .put("consumerGroup", group);
        return calls.invokeOk(addr, req).map(resp -> {
            List<String> ids = new ArrayList<>();
            if (resp.body() != null) {
                try {
                    JsonNode list = Json.MAPPER.readTree(resp.bodyBytes()).path("consumerIdList");
                    list.forEach(n -> ids.add(n.asText()));
                } catch (IOException e) {
                    throw new IllegalArgumentException("malformed consumer list: " + e.getMessage(), e);
                }
            }
            Collections.sort(ids);
            return ids;
        });
    }
}

package io.tern.client.impl;

import io.tern.client.TernClientException;
import io.tern.common.Json;
import io.tern.common.protocol.BrokerData;
import io.tern.common.protocol.SystemNames;
import io.tern.common.protocol.TopicRouteData;
import io.tern.remoting.protocol.RemotingCommand;
import io.tern.remoting.protocol.RequestCode;
import io.tern.remoting.protocol.ResponseCode;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Topic routes from the nameservers (GET_ROUTEINFO_BY_TOPIC, spec 3.2.4) and the broker address table they fill
 * (brokerName → {brokerId → "ip:port"}). Routes are fetched on first use, re-read every route-poll interval, and kept
 * when a poll fails. For a producer, a topic the nameserver does not know yet borrows the route of the default topic
 * TBW102 (clamped to 4 queues per broker) so that the first send auto-creates it on the broker.
 *
 * <p>Not thread-safe; owned by the client's context.
 */
final class RouteCache {
    private static final Logger LOG = LoggerFactory.getLogger(RouteCache.class);
    /** The producer's defaultTopicQueueNums, sent as header {@code d} and used to clamp borrowed routes. */
    static final int DEFAULT_TOPIC_QUEUE_NUMS = 4;

    private final RemotingCalls calls;
    private final List<String> namesrvAddrs;
    private int namesrvIndex;
    private final Map<String, TopicRouteData> routes = new HashMap<>();
    private final Map<String, Future<TopicRouteData>> fetching = new HashMap<>();
    private final Map<String, TopicPublishInfo> publishInfos = new HashMap<>();
    private final Map<String, TreeMap<Long, String>> brokerAddrs = new HashMap<>();
    private Runnable newBrokerListener = () -> { };

    RouteCache(RemotingCalls calls, List<String> namesrvAddrs) {
        this.calls = calls;
        this.namesrvAddrs = List.copyOf(namesrvAddrs);
    }

    /** The cached route, or a fresh one; fails with TernClientException(17) when the topic has no route. */
    Future<TopicRouteData> route(String topic) {
        TopicRouteData cached = routes.get(topic);
        return cached != null ? Future.succeededFuture(cached) : fetch(topic);
    }

    /** Asks a nameserver now; concurrent asks for one topic share one request. */
    Future<TopicRouteData> fetch(String topic) {
        Future<TopicRouteData> inFlight = fetching.get(topic);
        if (inFlight != null) {
            return inFlight;
        }
        Future<TopicRouteData> f = fetchFrom(topic, 0);
        if (!f.isComplete()) {
            fetching.put(topic, f);
            f.onComplete(ar -> fetching.remove(topic, f));
        }
        return f;
    }

    private Future<TopicRouteData> fetchFrom(String topic, int attempt) {
        String addr = namesrvAddrs.get(Math.floorMod(namesrvIndex, namesrvAddrs.size()));
        RemotingCommand req = RemotingCommand.request(RequestCode.GET_ROUTEINFO_BY_TOPIC).put("topic", topic);
        return calls.invoke(addr, req).transform(ar -> {
            if (ar.failed()) {
                // this nameserver is unreachable: move on to the next one
                namesrvIndex++;
                return attempt + 1 < namesrvAddrs.size() ? fetchFrom(topic, attempt + 1) : Future.failedFuture(ar.cause());
            }
            RemotingCommand resp = ar.result();
            if (resp.code() != ResponseCode.SUCCESS || resp.body() == null) {
                return Future.failedFuture(new TernClientException(resp.code(), resp.remark()));
            }
            TopicRouteData route = Json.fromBytes(resp.bodyBytes(), TopicRouteData.class);
            update(topic, route);
            return Future.succeededFuture(route);
        });
    }

    /** Called when a route names a broker address not seen before (the client then heartbeats at once). */
    void onNewBrokerAddress(Runnable listener) {
        this.newBrokerListener = listener;
    }

    private void update(String topic, TopicRouteData route) {
        routes.put(topic, route);
        boolean newAddress = false;
        for (BrokerData bd : route.brokerDatas) {
            TreeMap<Long, String> known = brokerAddrs.computeIfAbsent(bd.brokerName, n -> new TreeMap<>());
            newAddress |= !known.values().containsAll(bd.brokerAddrs.values());
            known.putAll(bd.brokerAddrs);
            // ids that left the route (a slave went away) are forgotten
            known.keySet().retainAll(bd.brokerAddrs.keySet());
        }
        if (newAddress) {
            newBrokerListener.run();
        }
        if (publishInfos.containsKey(topic)) {
            publishInfos.put(topic, TopicPublishInfo.of(topic, route, Integer.MAX_VALUE, false));
        }
    }

    /** Where a producer may send {@code topic}; falls back to TBW102's route for topics not created yet. */
    Future<TopicPublishInfo> publishInfo(String topic) {
        TopicPublishInfo cached = publishInfos.get(topic);
        if (cached != null && !cached.isEmpty()) {
            return Future.succeededFuture(cached);
        }
        return fetch(topic).map(route -> {
            TopicPublishInfo info = TopicPublishInfo.of(topic, route, Integer.MAX_VALUE, false);
            publishInfos.put(topic, info);
            return info;
        }).recover(e -> {
            if (!(e instanceof TernClientException tce) || tce.code() != ResponseCode.TOPIC_NOT_EXIST) {
                return Future.failedFuture(e);
            }
            return route(SystemNames.DEFAULT_TOPIC).map(route -> {
                TopicPublishInfo info = TopicPublishInfo.of(topic, route, DEFAULT_TOPIC_QUEUE_NUMS, true);
                publishInfos.put(topic, info);
                return info;
            });
        }).compose(info -> info.isEmpty()
                ? Future.failedFuture(new TernClientException("No route info of this topic: " + topic))
                : Future.succeededFuture(info));
    }

    /** The route poll: re-reads every topic in use; failures keep the old route. */
    void refreshAll() {
        Set<String> topics = new LinkedHashSet<>(routes.keySet());
        topics.addAll(publishInfos.keySet());
        for (String topic : topics) {
            fetch(topic).onFailure(e -> LOG.debug("route poll of {} failed: {}", topic, e.getMessage()));
        }
    }

    /** Master address of {@code brokerName}, or null when it has none. */
    String masterAddr(String brokerName) {
        TreeMap<Long, String> addrs = brokerAddrs.get(brokerName);
        return addrs == null ? null : addrs.get(0L);
    }

    /** Every known broker address (masters and slaves), or only the masters. */
    List<String> brokerAddrs(boolean mastersOnly) {
        List<String> out = new ArrayList<>();
        for (TreeMap<Long, String> addrs : brokerAddrs.values()) {
            if (mastersOnly) {
                String master = addrs.get(0L);
                if (master != null) {
                    out.add(master);
                }
            } else {
                out.addAll(addrs.values());
            }
        }
        return out;
    }
}

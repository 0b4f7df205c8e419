package io.tern.cli;

import io.tern.common.Json;
import io.tern.common.protocol.BrokerData;
import io.tern.common.protocol.ClusterInfo;
import io.tern.common.protocol.TopicRouteData;
import io.tern.remoting.ProcessorTable;
import io.tern.remoting.RemotingClient;
import io.tern.remoting.acl.AclCredentials;
import io.tern.remoting.protocol.RemotingCommand;
import io.tern.remoting.protocol.RequestCode;
import io.tern.remoting.protocol.ResponseCode;
import io.tern.remoting.security.ClientTls;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * The connections of one tern-admin run: one Vert.x instance, one {@link RemotingClient}, the nameserver list and
 * the output stream. Calls block the caller until the answer arrives, which is fine for a command line main.
 *
 * <p>Thread contract: use from one non-Vert.x thread; never from an event loop. {@link #close()} shuts Vert.x down.
 */
public final class AdminSession implements AutoCloseable {
    public static final long REQUEST_TIMEOUT_MS = 5_000;
    /** Guards against a future that never completes (e.g. a stuck connect); above the request timeout. */
    private static final long AWAIT_LIMIT_MS = REQUEST_TIMEOUT_MS + 5_000;

    private final List<String> nameServers;
    private final PrintStream out;
    private final boolean json;
    /** Signs every request (servers with aclEnable); null = unsigned. */
    private final AclCredentials credentials;
    private final ClientTls tls;
    private Vertx vertx;
    private RemotingClient client;

    public AdminSession(String nameServerList, PrintStream out, boolean json) {
        this(nameServerList, out, json, null);
    }

    /** @param credentials the ACL account every request is signed with; null = unsigned */
    public AdminSession(String nameServerList, PrintStream out, boolean json, AclCredentials credentials) {
        this(nameServerList, out, json, credentials, ClientTls.PLAINTEXT);
    }

    /**
     * @param credentials the ACL account every request is signed with; null = unsigned
     * @param tls         TLS of the connections to nameservers and brokers (servers with tlsMode permissive or
     *                    enforcing)
     */
    public AdminSession(String nameServerList, PrintStream out, boolean json, AclCredentials credentials,
                        ClientTls tls) {
        this.nameServers = parseAddresses(nameServerList);
        this.out = out;
        this.json = json;
        this.credentials = credentials;
        this.tls = tls;
    }

    static List<String> parseAddresses(String list) {
        List<String> addrs = new ArrayList<>();
        for (String a : list.split("[;,]")) {
            String t = a.trim();
            if (t.isEmpty()) {
                continue;
            }
            int colon = t.lastIndexOf(':');
            if (colon <= 0 || colon == t.length() - 1 || !t.substring(colon + 1).chars().allMatch(Character::isDigit)) {
                throw new UsageException("nameserver address is not host:port: " + t);
            }
            addrs.add(t);
        }
        if (addrs.isEmpty()) {
            throw new UsageException("no nameserver address given");
        }
        return addrs;
    }

    public PrintStream out() {
        return out;
    }

    public boolean json() {
        return json;
    }

    public List<String> nameServers() {
        return nameServers;
    }

    public void printJson(Object value) {
        try {
            out.println(Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(value));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private RemotingClient client() {
        if (client == null) {
            vertx = Vertx.vertx();
            client = new RemotingClient(vertx, new ProcessorTable(), tls, credentials);
        }
        return client;
    }

    /** Sends to the first reachable nameserver; the answer may carry any response code. */
    public RemotingCommand callNameServer(RemotingCommand request) {
        AdminException last = null;
        for (String addr : nameServers) {
            try {
                return call(addr, request, "nameserver");
            } catch (AdminException e) {
                last = e;
            }
        }
        throw last;
    }

    /** Sends to every nameserver (e.g. deletes); fails on the first error. */
    public void callEveryNameServer(Supplier<RemotingCommand> request, String what) {
        for (String addr : nameServers) {
            expectSuccess(call(addr, request.get(), "nameserver"), what + " on nameserver " + addr);
        }
    }

    /** Sends to a broker; the answer may carry any response code. */
    public RemotingCommand callBroker(String brokerAddr, RemotingCommand request) {
        return call(brokerAddr, request, "broker");
    }

    private RemotingCommand call(String addr, RemotingCommand request, String role) {
        Future<RemotingCommand> f = client().invoke(addr, request, REQUEST_TIMEOUT_MS);
        try {
            return f.toCompletionStage().toCompletableFuture().get(AWAIT_LIMIT_MS, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            throw new AdminException("cannot reach " + role + " " + addr + ": " + describe(cause), cause);
        } catch (TimeoutException e) {
            throw new AdminException("no answer from " + role + " " + addr + " within " + AWAIT_LIMIT_MS + " ms", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AdminException("interrupted while waiting for " + role + " " + addr, e);
        }
    }

    private static String describe(Throwable t) {
        String m = t.getMessage();
        return m == null || m.isBlank() ? t.getClass().getSimpleName() : m;
    }

    /** Throws an {@link AdminException} naming {@code what} unless the response is SUCCESS. */
    public static RemotingCommand expectSuccess(RemotingCommand response, String what) {
        if (response.code() != ResponseCode.SUCCESS) {
            throw new AdminException(what + " failed: code " + response.code()
                    + (response.remark() == null ? "" : ", " + response.remark()));
        }
        return response;
    }

    /** The route of {@code topic}, or null when the nameserver does not know it. */
    public TopicRouteData routeOrNull(String topic) {
        RemotingCommand resp = callNameServer(RemotingCommand.request(RequestCode.GET_ROUTEINFO_BY_TOPIC)
                .put("topic", topic));
        if (resp.code() == ResponseCode.TOPIC_NOT_EXIST) {
            return null;
        }
        expectSuccess(resp, "route query of topic " + topic);
        return Json.fromBytes(resp.bodyBytes(), TopicRouteData.class);
    }

    public TopicRouteData route(String topic) {
        TopicRouteData route = routeOrNull(topic);
        if (route == null) {
            throw new AdminException("topic " + topic + " does not exist (no route on the nameserver)");
        }
        return route;
    }

    public ClusterInfo clusterInfo() {
        RemotingCommand resp = expectSuccess(callNameServer(RemotingCommand.request(RequestCode.GET_BROKER_CLUSTER_INFO)),
                "cluster query");
        return Json.fromBytes(resp.bodyBytes(), ClusterInfo.class);
    }

    /** Master addresses of {@code cluster}, or of every cluster when null. */
    public List<String> masters(String cluster) {
        ClusterInfo info = clusterInfo();
        List<String> addrs = new ArrayList<>();
        if (cluster != null && !info.clusterAddrTable.containsKey(cluster)) {
            throw new AdminException("cluster " + cluster + " is unknown to the nameserver; known: "
                    + info.clusterAddrTable.keySet());
        }
        for (var e : info.clusterAddrTable.entrySet()) {
            if (cluster != null && !cluster.equals(e.getKey())) {
                continue;
            }
            for (String brokerName : e.getValue()) {
                BrokerData bd = info.brokerAddrTable.get(brokerName);
                String master = bd == null ? null : bd.brokerAddrs.get(0L);
                if (master != null) {
                    addrs.add(master);
                }
            }
        }
        if (addrs.isEmpty()) {
            throw new AdminException("no master broker found" + (cluster == null ? "" : " in cluster " + cluster));
        }
        return addrs;
    }

    /** Master address of each broker name in a route, in route order. */
    public static List<BrokerTarget> masters(TopicRouteData route) {
        List<BrokerTarget> targets = new ArrayList<>();
        for (BrokerData bd : route.brokerDatas) {
            String master = bd.brokerAddrs.get(0L);
            if (master != null) {
                targets.add(new BrokerTarget(bd.brokerName, master));
            }
        }
        return targets;
    }

    /** A broker name and the address to call. */
    public record BrokerTarget(String brokerName, String addr) {
    }

    @Override
    public void close() {
        if (client != null) {
            try {
                client.close().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
            } catch (Exception ignored) {
                // closing anyway
            }
            try {
                vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
            } catch (Exception ignored) {
                // the JVM exits right after in the CLI main
            }
            client = null;
            vertx = null;
        }
    }
}

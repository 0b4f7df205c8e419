package io.tern.server;

import io.tern.common.message.MessageProperties;
import io.tern.remoting.RemotingClient;
import io.tern.remoting.protocol.RemotingCommand;
import io.tern.remoting.protocol.RequestCode;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The training run behind the fat jar's class-data-sharing archive (AppCDS). The build runs it as
 * {@code java -XX:ArchiveClassesAtExit=<fat jar>.jsa -cp <fat jar> io.tern.server.CdsTraining}: it starts a
 * standalone node through the same launcher as {@code java -jar} ({@link TernApplication}: Vert.x's application
 * launcher, the config loader, the roles' verticles) on ephemeral ports in a temporary directory, sends the requests
 * a client and an operator send first (route, topic creation, send, pull, HTTP API, metrics), closes Vert.x (which
 * stops the node as SIGTERM does) and exits. The JVM then writes every class it loaded, already parsed and verified,
 * into the archive; {@code scripts/tern} maps it with {@code -XX:SharedArchiveFile}, which halves the CPU a start
 * costs (src-docs/performance-notes.md, "Start-up").
 *
 * <p>A failed request is logged and the run goes on: the archive is an optimisation, and a start without it (or
 * with a partial one) is only slower. Exit code 1 only when the node does not start at all.
 */
public final class CdsTraining {
    static {
        TernMain.configureDefaults();
        // as TernMain does: its classes and the lambda it starts with go into the archive too
        StartupWarmUp.startInBackground();
    }

    private static final Logger LOG = LoggerFactory.getLogger(CdsTraining.class);
    private static final long TIMEOUT_MS = 60_000;
    private static final String TOPIC = "TernCdsTraining";
    /** The HTTP API's bearer token for this run (a configured one: no token file is generated). */
    private static final String HTTP_TOKEN = "tern-cds-training";

    private CdsTraining() {
    }

    public static void main(String[] args) throws Exception {
        Path dir = Files.createTempDirectory("tern-cds-training-");
        System.setProperty("tern.nameserver.listenPort", "0");
        System.setProperty("tern.broker.listenPort", "0");
        System.setProperty("tern.broker.httpPort", "0");
        System.setProperty("tern.broker.httpTokens", HTTP_TOKEN);
        System.setProperty("tern.broker.store.storeRoot", dir.resolve("store").toString());
        System.setProperty("tern.broker.store.commitLogSegmentBytes", Integer.toString(4 * 1024 * 1024));
        int exitCode = 0;
        TernApplication launcher = new TernApplication(Role.STANDALONE, null);
        try {
            if (launcher.run() != 0) {
                throw new IllegalStateException("the launcher did not start the node");
            }
            try {
                exercise(launcher.vertx(), launcher.node());
            } catch (Exception e) {
                LOG.warn("training requests failed; the archive covers start-up only", e);
            }
        } catch (Exception e) {
            LOG.error("training node did not start", e);
            exitCode = 1;
        } finally {
            Vertx vertx = launcher.vertx();
            if (vertx != null) {
                // closing Vert.x stops the node in order, as SIGTERM does
                vertx.close().toCompletionStage().toCompletableFuture().get(TIMEOUT_MS, TimeUnit.MILLISECONDS);
            }
            deleteTree(dir);
        }
        System.exit(exitCode);
    }

    private static void exercise(Vertx vertx, TernNode node) throws Exception {
        String broker = node.broker().address();
        int http = node.broker().httpPort();
        HttpClient httpClient = vertx.createHttpClient();
        RemotingClient client = new RemotingClient(vertx);
        try {
            httpRequest(httpClient, HttpMethod.POST, http, "/api/topics",
                    "{\"topic\":\"" + TOPIC + "\",\"readQueueNums\":4,\"writeQueueNums\":4}");
            await(client.invoke(node.nameServerAddress(), RemotingCommand.request(RequestCode.GET_ROUTEINFO_BY_TOPIC)
                    .put("topic", TOPIC), TIMEOUT_MS));
            for (int i = 0; i < 100; i++) {
                await(client.invoke(broker, send(i), TIMEOUT_MS));
            }
            httpRequest(httpClient, HttpMethod.POST, http, "/api/topics/" + TOPIC + "/messages?tags=t&keys=k",
                    "{\"training\":true}");
            for (int queueId = 0; queueId < 4; queueId++) {
                await(client.invoke(broker, pull(queueId), TIMEOUT_MS));
            }
            httpRequest(httpClient, HttpMethod.GET, http, "/api/broker", null);
            httpRequest(httpClient, HttpMethod.GET, http, "/metrics", null);
        } finally {
            await(client.close());
            await(httpClient.close());
        }
    }

    private static RemotingCommand send(int i) {
        Map<String, String> properties = Map.of("TAGS", "t", "KEYS", "k" + i, "UNIQ_KEY", "CDS" + i, "WAIT", "true");
        return RemotingCommand.request(RequestCode.SEND_MESSAGE_V2)
                .put("a", "TernCdsTrainingProducer").put("b", TOPIC).put("c", "TBW102").put("d", 4)
                .put("e", i % 4).put("f", 0).put("g", System.currentTimeMillis()).put("h", 0)
                .put("i", MessageProperties.encode(properties)).put("j", 0).put("k", false).put("m", false)
                .body(("training message " + i).getBytes());
    }

    private static RemotingCommand pull(int queueId) {
        return RemotingCommand.request(RequestCode.PULL_MESSAGE)
                .put("consumerGroup", "TernCdsTrainingConsumer").put("topic", TOPIC).put("queueId", queueId)
                .put("queueOffset", 0).put("maxMsgNums", 32).put("sysFlag", 0).put("commitOffset", 0)
                .put("suspendTimeoutMillis", 0).put("subscription", "*").put("subVersion", 0)
                .put("expressionType", "TAG");
    }

    private static void httpRequest(HttpClient client, HttpMethod method, int port, String uri, String body)
            throws Exception {
        await(client.request(method, port, "127.0.0.1", uri)
                .compose(request -> {
                    request.putHeader("Authorization", "Bearer " + HTTP_TOKEN);
                    return body == null ? request.send()
                            : request.putHeader("Content-Type", "application/json").send(Buffer.buffer(body));
                })
                .compose(response -> {
                    if (response.statusCode() >= 300) {
                        LOG.warn("training request {} {} answered {}", method, uri, response.statusCode());
                    }
                    return response.body();
                }));
    }

    private static <T> T await(Future<T> future) throws Exception {
        return future.toCompletionStage().toCompletableFuture().get(TIMEOUT_MS, TimeUnit.MILLISECONDS);
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}

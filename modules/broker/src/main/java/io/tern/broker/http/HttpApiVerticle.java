package io.tern.broker.http;

import io.tern.broker.BrokerComponents;
import io.tern.broker.BrokerConfig;
import io.tern.remoting.ListenPort;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.ext.web.handler.StaticHandler;
import java.util.HashSet;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One HTTP server with the routes below. Handlers run on this verticle's event loop and never block: they read
 * in-memory registries and mapped store pages; the index query runs on a worker; writes are remoting requests to
 * the broker over the event bus ({@link BrokerRequests}).
 *
 * <pre>
 *  GET  /metrics                      Prometheus text
 *  GET  /api/health                   200 UP / 503 DOWN (store read-only)
 *  GET  /api/broker                   identity, uptime, counters, store positions
 *  GET  /api/topics[/{topic}]         configs, per-queue offsets
 *  POST /api/topics                   create or update a topic (UPDATE_AND_CREATE_TOPIC)
 *  POST /api/topics/{topic}/messages  send a message (SEND_MESSAGE_V2)
 *  GET  /api/groups[/{group}]         subscriptions, connections, offsets, lag
 *  POST /api/groups/{group}/reset-offset  reset to a time (INVOKE_BROKER_TO_RESET_OFFSET)
 *  GET  /api/messages/{offsetMsgId}   one stored record
 *  GET  /api/messages?topic&key       index query
 *  GET  /api/messages/{msgId}/trace   message trace (trace topic)
 *  GET  /                             console (webroot/)
 * </pre>
 * Every request passes {@link HttpAccessHandler} first (credentials, JSON-only writes, CORS); the server binds
 * {@code httpHost} (loopback by default) and speaks TLS when {@code httpTlsEnable}.
 */
final class HttpApiVerticle extends VerticleBase {
    private static final Logger LOG = LoggerFactory.getLogger(HttpApiVerticle.class);

    private final BrokerComponents broker;
    private BrokerRequests requests;
    private volatile HttpServer server;

    HttpApiVerticle(BrokerComponents broker) {
        this.broker = broker;
    }

    int port() {
        return server == null ? -1 : server.actualPort();
    }

    @Override
    public Future<?> start() {
        BrokerConfig config = broker.config();
        return vertx.executeBlocking(() -> HttpCredentials.load(config))
                .compose(credentials -> serve(config, credentials));
    }

    private Future<HttpServer> serve(BrokerConfig config, HttpCredentials credentials) {
        requests = new BrokerRequests(vertx, broker.address());
        Router router = Router.router(vertx);
        router.route().handler(new HttpAccessHandler(credentials, config.httpAuthReads,
                corsOrigins(config.httpCorsOrigins), broker.metrics().registry()));
        router.get("/metrics").handler(ctx -> ctx.response()
                .putHeader("Content-Type", "text/plain; version=0.0.4; charset=utf-8")
                .end(broker.metrics().scrape()));
        router.route("/api/*").handler(BodyHandler.create(false)
                .setBodyLimit(broker.config().store.maxMessageBytes + 64 * 1024L));
        new BrokerRoutes(broker.config(), broker.address(), broker.bootTimestampMs(), broker.store(), broker.topics(),
                broker.consumers(), broker.holds(), broker.stats(), broker.metrics(), broker.replication()).mount(router);
        new TopicRoutes(broker.config(), broker.store(), broker.topics(), broker.offsets(), broker.metrics(), requests)
                .mount(router);
        new GroupRoutes(broker.store(), broker.topics(), broker.groups(), broker.offsets(), broker.consumers())
                .mount(router);
        new MessageRoutes(broker.config(), broker.address(), broker.store(), requests).mount(router);
        new TimerRoutes(vertx, broker.address()).mount(router);
        new OffsetResetRoutes(requests).mount(router);
        new TraceRoutes(broker.config(), broker.address(), broker.store()).mount(router);
        router.route("/api/*").handler(ctx -> Replies.error(ctx, 404, "no such endpoint: " + ctx.request().method()
                + " " + ctx.request().path()));
        router.route("/*").handler(StaticHandler.create("webroot").setCachingEnabled(false));
        router.route().failureHandler(ctx -> {
            int status = ctx.statusCode() > 0 ? ctx.statusCode() : 500;
            if (status >= 500) {
                LOG.warn("HTTP {} {} failed", ctx.request().method(), ctx.request().path(), ctx.failure());
            }
            Replies.error(ctx, status, ctx.failure() == null ? "HTTP " + status : String.valueOf(ctx.failure().getMessage()));
        });
        HttpServerOptions options = new HttpServerOptions().setHost(config.httpHost);
        if (config.httpTlsEnable) {
            options.setSsl(true).setKeyCertOptions(new PemKeyCertOptions().setCertPath(config.tlsCertFile)
                    .setKeyPath(config.tlsKeyFile));
        }
        return vertx.createHttpServer(options)
                .requestHandler(router)
                // listen(port) alone would bind 0.0.0.0 whatever the options say
                .listen(ListenPort.toBind(config.httpPort), config.httpHost)
                .onSuccess(s -> {
                    server = s;
                    LOG.info("broker {} HTTP API at {}://{}:{}/", config.brokerName,
                            config.httpTlsEnable ? "https" : "http", config.httpHost, s.actualPort());
                });
    }

    private static Set<String> corsOrigins(String list) {
        Set<String> origins = new HashSet<>();
        for (String origin : list == null ? new String[0] : list.split(",")) {
            if (!origin.isBlank()) {
                origins.add(origin.trim());
            }
        }
        return Set.copyOf(origins);
    }

    @Override
    public Future<?> stop() {
        return server == null ? Future.succeededFuture() : server.close();
    }
}

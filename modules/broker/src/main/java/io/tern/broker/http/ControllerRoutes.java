package io.tern.broker.http;

import io.tern.broker.BrokerConfig;
import io.tern.remoting.RemotingClient;
import io.tern.remoting.controller.ControllerWire;
import io.tern.remoting.protocol.RemotingCommand;
import io.tern.remoting.protocol.ResponseCode;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * {@code GET /api/controller}: the failover controller's state as its leader tells it (leader, term, groups with
 * master, epoch, SyncStateSet, replicas and their liveness), asked at {@code controllerAddr}; 404 when the broker is
 * not in controller mode, 503 when no controller answers.
 */
final class ControllerRoutes {
    private final BrokerConfig config;
    private final RemotingClient client;

    ControllerRoutes(BrokerConfig config, RemotingClient client) {
        this.config = config;
        this.client = client;
    }

    void mount(Router router) {
        router.get("/api/controller").handler(this::state);
    }

    private void state(RoutingContext ctx) {
        if (!config.controllerMode) {
            Replies.error(ctx, 404, "the broker is not in controller mode (controllerMode=false)");
            return;
        }
        List<String> addrs = Arrays.stream(config.controllerAddr.split(";")).map(String::trim)
                .filter(s -> !s.isEmpty()).toList();
        ask(addrs, 0, null).onComplete(ar -> {
            if (ar.succeeded() && ar.result() != null) {
                ctx.response().putHeader("Content-Type", "application/json").end(ar.result().encode());
            } else {
                Replies.error(ctx, 503, "no controller of " + config.controllerAddr + " answers");
            }
        });
    }

    /** Asks the controllers in turn; the leader's answer, else the first answer. */
    private Future<JsonObject> ask(List<String> addrs, int i, JsonObject first) {
        if (i >= addrs.size()) {
            return Future.succeededFuture(first);
        }
        return client.invoke(addrs.get(i), RemotingCommand.request(ControllerWire.GET_CONTROLLER_STATE), 3_000)
                .transform(ar -> {
                    JsonObject state = ar.succeeded() && ar.result().code() == ResponseCode.SUCCESS
                            ? new JsonObject(new String(ar.result().bodyBytes(), StandardCharsets.UTF_8)) : null;
                    if (state != null && state.getBoolean("leader", false)) {
                        return Future.succeededFuture(state);
                    }
                    return ask(addrs, i + 1, first != null ? first : state);
                });
    }
}

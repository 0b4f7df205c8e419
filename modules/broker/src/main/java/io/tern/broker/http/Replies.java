package io.tern.broker.http;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/** JSON answers: a document with a status, or {@code {"error": "..."}}. */
final class Replies {
    private Replies() {
    }

    static void json(RoutingContext ctx, int status, JsonObject body) {
        send(ctx, status, body.encode());
    }

    static void json(RoutingContext ctx, JsonArray body) {
        send(ctx, 200, body.encode());
    }

    static void error(RoutingContext ctx, int status, String message) {
        send(ctx, status, new JsonObject().put("error", message).encode());
    }

    private static void send(RoutingContext ctx, int status, String json) {
        if (ctx.response().ended()) {
            return;
        }
        ctx.response().setStatusCode(status).putHeader("Content-Type", "application/json; charset=utf-8")
                .putHeader("Cache-Control", "no-store").end(json);
    }
}

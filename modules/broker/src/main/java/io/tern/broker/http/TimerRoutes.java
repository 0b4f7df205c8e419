package io.tern.broker.http;

import io.tern.broker.BrokerAddress;
import io.tern.broker.control.BrokerBus;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * {@code GET /api/timers}: the timer store's state and its pending timers per topic, asked of the timer delivery
 * worker over the broker's bus ({@link BrokerBus#timerStatus}). {@code 503} when no timer worker runs (a slave, or
 * {@code timerWheelEnable} off).
 */
final class TimerRoutes {
    private final Vertx vertx;
    private final BrokerAddress address;

    TimerRoutes(Vertx vertx, BrokerAddress address) {
        this.vertx = vertx;
        this.address = address;
    }

    void mount(Router router) {
        router.get("/api/timers").handler(this::status);
    }

    private void status(RoutingContext ctx) {
        vertx.eventBus().<JsonObject>request(BrokerBus.timerStatus(address.hostPort()), null)
                .onSuccess(reply -> Replies.json(ctx, 200, reply.body()))
                .onFailure(e -> Replies.error(ctx, 503, "timer messages are not served here: " + e.getMessage()));
    }
}

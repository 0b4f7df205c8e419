package io.tern.broker.http;

import io.tern.broker.BrokerAddress;
import io.tern.broker.BrokerConfig;
import io.tern.broker.trace.TraceLookup;
import io.tern.common.Json;
import io.tern.common.message.MessageIds;
import io.tern.common.trace.MessageTrace;
import io.tern.store.MessageStore;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * {@code GET /api/messages/{msgId}/trace}: the message's trace from this broker's trace topic ({@link TraceLookup},
 * on a worker), and the stored message itself when this broker stored it — {@code message.storeTimestamp} is when
 * it was stored. 404 when no trace record names the id.
 */
final class TraceRoutes {
    static final int MAX_TRACE_MESSAGES = 64;

    private final BrokerConfig config;
    private final BrokerAddress address;
    private final MessageStore store;
    private final TraceLookup lookup;

    TraceRoutes(BrokerConfig config, BrokerAddress address, MessageStore store) {
        this.config = config;
        this.address = address;
        this.store = store;
        this.lookup = new TraceLookup(config, store);
    }

    void mount(Router router) {
        router.get("/api/messages/:msgId/trace").handler(this::trace);
    }

    private void trace(RoutingContext ctx) {
        String msgId = ctx.pathParam("msgId").trim();
        if (msgId.isEmpty() || msgId.length() > 128) {
            Replies.error(ctx, 400, "not a message id: " + msgId);
            return;
        }
        int maxBody = config.store.maxMessageBytes * 4;
        ctx.vertx().executeBlocking(() -> {
            MessageTrace trace = lookup.find(msgId, MAX_TRACE_MESSAGES);
            if (trace.published().isEmpty() && trace.consumed().isEmpty() && trace.transactions().isEmpty()) {
                return null;
            }
            JsonObject out = new JsonObject(Json.toString(trace)).put("traceTopic", lookup.traceTopic());
            for (MessageTrace.Published p : trace.published()) {
                ByteBuffer record = storedHere(p.offsetMsgId());
                if (record != null) {
                    out.put("message", MessageView.of(record, maxBody));
                    break;
                }
            }
            return out;
        }, false).onComplete(ar -> {
            if (ar.failed()) {
                ctx.fail(ar.cause());
            } else if (ar.result() == null) {
                Replies.error(ctx, 404, "no trace of message " + msgId + " in " + lookup.traceTopic()
                        + " on this broker");
            } else {
                Replies.json(ctx, 200, ar.result());
            }
        });
    }

    /** The record of an offset message id when this broker stored it. */
    private ByteBuffer storedHere(String offsetMsgId) {
        if (offsetMsgId == null || !offsetMsgId.matches("[0-9A-Fa-f]{32}|[0-9A-Fa-f]{56}")) {
            return null;
        }
        InetSocketAddress host = MessageIds.storeHost(offsetMsgId.toUpperCase());
        if (host.getPort() != address.port() || !Arrays.equals(host.getAddress().getAddress(), address.hostBytes())) {
            return null;
        }
        return store.messageAt(MessageIds.physicalOffset(offsetMsgId.toUpperCase()));
    }
}

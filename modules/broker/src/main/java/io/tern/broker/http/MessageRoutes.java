package io.tern.broker.http;

import io.tern.broker.BrokerAddress;
import io.tern.broker.BrokerConfig;
import io.tern.broker.send.DelayLevels;
import io.tern.common.message.MessageConst;
import io.tern.common.message.MessageIds;
import io.tern.common.message.MessageProperties;
import io.tern.common.protocol.SystemNames;
import io.tern.remoting.protocol.RemotingCommand;
import io.tern.remoting.protocol.RequestCode;
import io.tern.remoting.protocol.ResponseCode;
import io.tern.store.MessageStore;
import io.tern.store.QueryResult;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code GET /api/messages/{offsetMsgId}} (one record by commit-log offset), {@code GET /api/messages?topic&key}
 * (index query, on a worker: it walks index files) and {@code POST /api/topics/{topic}/messages} (a send as
 * SEND_MESSAGE_V2 through {@link BrokerRequests}).
 */
final class MessageRoutes {
    /** Producer group named in the send header of HTTP sends. */
    static final String HTTP_PRODUCER_GROUP = "TERN_HTTP_PRODUCER";
    private static final int DEFAULT_QUERY_MAX = 32;

    private final BrokerConfig config;
    private final BrokerAddress address;
    private final MessageStore store;
    private final BrokerRequests requests;

    MessageRoutes(BrokerConfig config, BrokerAddress address, MessageStore store, BrokerRequests requests) {
        this.config = config;
        this.address = address;
        this.store = store;
        this.requests = requests;
    }

    void mount(Router router) {
        router.get("/api/messages/:msgId").handler(this::byId);
        router.get("/api/messages").handler(this::byKey);
        router.post("/api/topics/:topic/messages").handler(this::send);
    }

    private void byId(RoutingContext ctx) {
        String msgId = ctx.pathParam("msgId").trim();
        long offset;
        InetSocketAddress host;
        try {
            if (!msgId.matches("[0-9A-Fa-f]{32}|[0-9A-Fa-f]{56}")) {
                throw new IllegalArgumentException("not an offset message id (32 or 56 hex digits): " + msgId);
            }
            offset = MessageIds.physicalOffset(msgId.toUpperCase());
            host = MessageIds.storeHost(msgId.toUpperCase());
        } catch (IllegalArgumentException e) {
            Replies.error(ctx, 400, e.getMessage());
            return;
        }
        if (host.getPort() != address.port()
                || !Arrays.equals(host.getAddress().getAddress(), address.hostBytes())) {
            Replies.error(ctx, 404, "message id " + msgId + " was stored by " + host.getAddress().getHostAddress()
                    + ":" + host.getPort() + ", not by this broker (" + address.hostPort() + ")");
            return;
        }
        ByteBuffer record = store.messageAt(offset);
        if (record == null) {
            Replies.error(ctx, 404, "no message at commit-log offset " + offset);
            return;
        }
        Replies.json(ctx, 200, MessageView.of(record, config.store.maxMessageBytes * 4));
    }

    private void byKey(RoutingContext ctx) {
        String topic = ctx.queryParams().get("topic");
        String key = ctx.queryParams().get("key");
        if (topic == null || topic.isBlank() || key == null || key.isBlank()) {
            Replies.error(ctx, 400, "query needs topic and key: /api/messages?topic=T&key=K");
            return;
        }
        long begin;
        long end;
        int maxNum;
        try {
            begin = longParam(ctx, "begin", 0);
            end = longParam(ctx, "end", Long.MAX_VALUE);
            maxNum = (int) Math.min(config.store.defaultQueryMaxNum > 0
                    ? config.store.defaultQueryMaxNum : 64, longParam(ctx, "maxNum", DEFAULT_QUERY_MAX));
        } catch (NumberFormatException e) {
            Replies.error(ctx, 400, "begin, end and maxNum must be integers: " + e.getMessage());
            return;
        }
        int max = Math.max(1, maxNum);
        int maxBody = config.store.maxMessageBytes * 4;
        ctx.vertx().executeBlocking(() -> {
            QueryResult r = store.query(topic, key, max, begin, end);
            JsonArray out = new JsonArray();
            if (r != null && r.messages() != null) {
                for (ByteBuffer record : r.messages()) {
                    out.add(MessageView.of(record, maxBody));
                }
            }
            return out;
        }, false).onComplete(ar -> {
            if (ar.succeeded()) {
                Replies.json(ctx, ar.result());
            } else {
                ctx.fail(ar.cause());
            }
        });
    }

    private static long longParam(RoutingContext ctx, String name, long def) {
        String v = ctx.queryParams().get(name);
        return v == null || v.isBlank() ? def : Long.parseLong(v.trim());
    }

    /**
     * Query or header parameters: {@code tags} ({@code Tern-Tags}), {@code keys} ({@code Tern-Keys}, several
     * separated by spaces), {@code queueId} (default: any writable queue), {@code properties} ({@code
     * Tern-Properties}: a JSON object of string values), {@code delayLevel}.
     */
    private void send(RoutingContext ctx) {
        String topic = ctx.pathParam("topic");
        Buffer body = ctx.body().buffer();
        if (body == null || body.length() == 0) {
            Replies.error(ctx, 400, "the message body is empty");
            return;
        }
        Map<String, String> props = new LinkedHashMap<>();
        int queueId;
        try {
            String json = param(ctx, "properties", "Tern-Properties");
            if (json != null && !json.isBlank()) {
                JsonObject given = new JsonObject(json);
                for (String name : given.fieldNames()) {
                    Object v = given.getValue(name);
                    if (v == null || v instanceof JsonObject || v instanceof JsonArray) {
                        throw new IllegalArgumentException("property " + name + " must be a string or number");
                    }
                    props.put(name, String.valueOf(v));
                }
            }
            putIfGiven(props, MessageConst.TAGS, param(ctx, "tags", "Tern-Tags"));
            putIfGiven(props, MessageConst.KEYS, param(ctx, "keys", "Tern-Keys"));
            putIfGiven(props, MessageConst.DELAY_TIME_LEVEL, param(ctx, "delayLevel", "Tern-Delay-Level"));
            checkDelayLevel(props.get(MessageConst.DELAY_TIME_LEVEL));
            for (Map.Entry<String, String> e : props.entrySet()) {
                if (e.getKey().isEmpty() || hasSeparator(e.getKey()) || hasSeparator(e.getValue())) {
                    throw new IllegalArgumentException("property names and values may not contain \\u0001 or \\u0002");
                }
            }
            String q = param(ctx, "queueId", "Tern-Queue-Id");
            queueId = q == null || q.isBlank() ? -1 : Integer.parseInt(q.trim());
        } catch (DecodeException | IllegalArgumentException e) {
            Replies.error(ctx, 400, e.getMessage());
            return;
        }
        props.putIfAbsent(MessageConst.WAIT_STORE_MSG_OK, "true");
        RemotingCommand cmd = RemotingCommand.request(RequestCode.SEND_MESSAGE_V2)
                .put("a", HTTP_PRODUCER_GROUP).put("b", topic).put("c", SystemNames.DEFAULT_TOPIC)
                .put("d", config.defaultTopicQueueNums).put("e", queueId).put("f", 0)
                .put("g", System.currentTimeMillis()).put("h", 0).put("i", MessageProperties.encode(props))
                .put("j", 0).put("k", false).put("m", false)
                .body(body);
        requests.call(cmd).onComplete(ar -> {
            if (ar.failed()) {
                Replies.error(ctx, 503, "broker did not answer: " + ar.cause().getMessage());
                return;
            }
            RemotingCommand resp = ar.result();
            if (resp.ext("msgId") == null) {
                Replies.error(ctx, statusOf(resp.code()), resp.remark() == null ? "code " + resp.code() : resp.remark());
                return;
            }
            Replies.json(ctx, 200, new JsonObject()
                    .put("status", resp.code() == ResponseCode.SUCCESS ? "SEND_OK" : sendStatus(resp.code()))
                    .put("msgId", resp.ext("msgId"))
                    .put("topic", topic)
                    .put("queueId", Integer.parseInt(resp.ext("queueId")))
                    .put("queueOffset", Long.parseLong(resp.ext("queueOffset"))));
        });
    }

    /** As documented: 1..18 (a client's 0 = no delay is simply not sent); the broker would clamp anything else. */
    private static void checkDelayLevel(String level) {
        if (level == null) {
            return;
        }
        int n;
        try {
            n = Integer.parseInt(level.trim());
        } catch (NumberFormatException e) {
            n = -1;
        }
        if (n < 1 || n > DelayLevels.maxLevel()) {
            throw new IllegalArgumentException("delayLevel must be 1.." + DelayLevels.maxLevel() + ", not " + level);
        }
    }

    private static String param(RoutingContext ctx, String query, String header) {
        String v = ctx.queryParams().get(query);
        return v != null ? v : ctx.request().getHeader(header);
    }

    private static void putIfGiven(Map<String, String> props, String name, String value) {
        if (value != null && !value.isBlank()) {
            props.put(name, value.trim());
        }
    }

    private static boolean hasSeparator(String s) {
        return s.indexOf(MessageProperties.NAME_VALUE_SEPARATOR) >= 0 || s.indexOf(MessageProperties.PROPERTY_SEPARATOR) >= 0;
    }

    /** Stored, but not as durable as asked: the client's SendStatus names. */
    private static String sendStatus(int code) {
        return switch (code) {
            case ResponseCode.FLUSH_DISK_TIMEOUT -> "FLUSH_DISK_TIMEOUT";
            case ResponseCode.FLUSH_SLAVE_TIMEOUT -> "FLUSH_SLAVE_TIMEOUT";
            case ResponseCode.SLAVE_NOT_AVAILABLE -> "SLAVE_NOT_AVAILABLE";
            default -> "CODE_" + code;
        };
    }

    private static int statusOf(int code) {
        return switch (code) {
            case ResponseCode.TOPIC_NOT_EXIST -> 404;
            case ResponseCode.NO_PERMISSION -> 403;
            case ResponseCode.SERVICE_NOT_AVAILABLE, ResponseCode.SYSTEM_BUSY -> 503;
            default -> 400;
        };
    }
}

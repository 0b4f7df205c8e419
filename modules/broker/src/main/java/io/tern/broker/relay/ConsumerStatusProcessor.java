package io.tern.broker.relay;

import io.tern.broker.client.ClientChannel;
import io.tern.broker.client.ConsumerGroupInfo;
import io.tern.broker.client.ConsumerRegistry;
import io.tern.common.Json;
import io.tern.remoting.RemotingChannel;
import io.tern.remoting.protocol.RemotingCommand;
import io.tern.remoting.protocol.RequestCode;
import io.tern.remoting.protocol.ResponseCode;
import io.vertx.core.Future;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * INVOKE_BROKER_TO_GET_CONSUMER_STATUS (223), spec 3.5.4 / 3.7: asks each online consumer of the group (or only
 * {@code clientAddr}, which names a clientId) for its offsets with GET_CONSUMER_STATUS_FROM_CLIENT (221) and answers
 * {@code {"consumerTable":{clientId:{<MessageQueue>:offset}},"messageQueueTable":{}}}.
 *
 * <p>The clients write their {@code messageQueueTable} with fastjson object keys, which no standard JSON parser
 * reads; the broker never interprets it and splices each client's table into the answer verbatim, which fastjson
 * on the admin side parses back. Runs on the event loop; clients that fail or time out are left out.
 */
public final class ConsumerStatusProcessor {
    static final long CLIENT_TIMEOUT_MS = 5_000;
    private static final String TABLE_FIELD = "\"messageQueueTable\"";

    private final ConsumerRegistry consumers;

    public ConsumerStatusProcessor(ConsumerRegistry consumers) {
        this.consumers = consumers;
    }

    public Future<RemotingCommand> process(RemotingChannel conn, RemotingCommand req) {
        String topic = req.required("topic");
        String group = req.required("group");
        String only = req.ext("clientAddr");
        ConsumerGroupInfo info = consumers.group(group);
        List<ClientChannel> channels = new ArrayList<>();
        if (info != null) {
            for (ClientChannel c : info.channels()) {
                if (only == null || only.isBlank() || only.equals(c.clientId)) {
                    channels.add(c);
                }
            }
        }
        if (info == null || info.channels().isEmpty()) {
            return Future.succeededFuture(RemotingCommand.responseTo(req, ResponseCode.SYSTEM_ERROR,
                    "No Any Consumer online in the consumer group: [" + group + "]"));
        }
        List<Future<String>> tables = new ArrayList<>();
        for (ClientChannel c : channels) {
            RemotingCommand ask = RemotingCommand.request(RequestCode.GET_CONSUMER_STATUS_FROM_CLIENT)
                    .put("topic", topic).put("group", group);
            tables.add(c.connection.request(ask, CLIENT_TIMEOUT_MS)
                    .map(resp -> resp.code() == ResponseCode.SUCCESS ? messageQueueTable(resp.bodyBytes()) : null)
                    .otherwise((String) null));
        }
        return Future.join(tables).transform(ignored -> {
            Map<String, String> byClient = new LinkedHashMap<>();
            for (int i = 0; i < channels.size(); i++) {
                String table = tables.get(i).result();
                if (table != null) {
                    byClient.put(channels.get(i).clientId, table);
                }
            }
            return Future.succeededFuture(RemotingCommand.successTo(req)
                    .body(body(byClient).getBytes(StandardCharsets.UTF_8)));
        });
    }

    static String body(Map<String, String> tablesByClient) {
        StringBuilder sb = new StringBuilder("{\"consumerTable\":{");
        boolean first = true;
        for (Map.Entry<String, String> e : tablesByClient.entrySet()) {
            if (!first) {
                sb.append(',');
            }
            first = false;
            sb.append(Json.toString(e.getKey())).append(':').append(e.getValue());
        }
        return sb.append("},\"messageQueueTable\":{}}").toString();
    }

    /** The raw JSON object under "messageQueueTable" in a client's GetConsumerStatusBody, or null. */
    static String messageQueueTable(byte[] body) {
        if (body == null) {
            return null;
        }
        String s = new String(body, StandardCharsets.UTF_8);
        int at = s.indexOf(TABLE_FIELD);
        if (at < 0) {
            return null;
        }
        int start = s.indexOf('{', at + TABLE_FIELD.length());
        if (start < 0) {
            return null;
        }
        int depth = 0;
        boolean inString = false;
        for (int i = start; i < s.length(); i++) {
            char ch = s.charAt(i);
            if (inString) {
                if (ch == '\\') {
                    i++;
                } else if (ch == '"') {
                    inString = false;
                }
            } else if (ch == '"') {
                inString = true;
            } else if (ch == '{') {
                depth++;
            } else if (ch == '}' && --depth == 0) {
                return s.substring(start, i + 1);
            }
        }
        return null;
    }
}

package io.tern.broker.relay;

import io.tern.broker.BrokerConfig;
import io.tern.broker.client.ClientChannel;
import io.tern.broker.client.ConsumerGroupInfo;
import io.tern.broker.client.ConsumerRegistry;
import io.tern.common.message.MessageIds;
import io.tern.remoting.RemotingChannel;
import io.tern.remoting.protocol.RemotingCommand;
import io.tern.remoting.protocol.RequestCode;
import io.tern.remoting.protocol.ResponseCode;
import io.tern.store.MessageStore;
import io.vertx.core.Future;
import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.concurrent.TimeoutException;

/**
 * Admin calls answered by one consumer client, relayed on that client's own connection (spec 3.5.4):
 * GET_CONSUMER_RUNNING_INFO (307) forwards the admin's ext fields; CONSUME_MESSAGE_DIRECTLY (309) adds
 * {@code brokerName} and the stored message named by the offset msg id as body. The client's answer (code,
 * remark, ext fields, body — e.g. its ConsumerRunningInfo JSON) goes back unchanged. Client not online → SYSTEM_ERROR
 * "not online"; no answer within {@code timeoutMs} → CONSUME_MSG_TIMEOUT.
 *
 * <p>Runs on the event loop; the relayed request completes asynchronously.
 */
public final class ConsumerCallProcessors {
    /** The reference's timeout of broker-to-client calls. */
    public static final long CLIENT_CALL_TIMEOUT_MS = 10_000;

    private final BrokerConfig config;
    private final MessageStore store;
    private final ConsumerRegistry consumers;
    private final long timeoutMs;

    public ConsumerCallProcessors(BrokerConfig config, MessageStore store, ConsumerRegistry consumers, long timeoutMs) {
        this.config = config;
        this.store = store;
        this.consumers = consumers;
        this.timeoutMs = timeoutMs;
    }

    public Future<RemotingCommand> consumerRunningInfo(RemotingChannel conn, RemotingCommand req) {
        return callConsumer(req, RemotingCommand.request(RequestCode.GET_CONSUMER_RUNNING_INFO),
                req.required("consumerGroup"), req.required("clientId"));
    }

    public Future<RemotingCommand> consumeMessageDirectly(RemotingChannel conn, RemotingCommand req) {
        String group = req.required("consumerGroup");
        String clientId = req.ext("clientId");
        String msgId = req.required("msgId");
        long offset;
        try {
            offset = MessageIds.physicalOffset(msgId);
        } catch (IllegalArgumentException e) {
            return answer(req, ResponseCode.SYSTEM_ERROR, e.getMessage());
        }
        ByteBuffer record = store.messageAt(offset);
        if (record == null) {
            return answer(req, ResponseCode.SYSTEM_ERROR, "can not find message by the offset, " + offset);
        }
        byte[] body = new byte[record.remaining()];
        record.duplicate().get(body);
        RemotingCommand forward = RemotingCommand.request(RequestCode.CONSUME_MESSAGE_DIRECTLY).body(body);
        return callConsumer(req, forward, group, clientId);
    }

    private Future<RemotingCommand> callConsumer(RemotingCommand req, RemotingCommand forward, String group,
                                                 String clientId) {
        ClientChannel channel = find(group, clientId);
        if (channel == null) {
            return answer(req, ResponseCode.SYSTEM_ERROR, "The Consumer <" + group + "> <" + clientId + "> not online");
        }
        HashMap<String, String> ext = new HashMap<>(req.extFields() == null ? java.util.Map.of() : req.extFields());
        if (forward.code() == RequestCode.CONSUME_MESSAGE_DIRECTLY) {
            ext.put("brokerName", config.brokerName);
        }
        forward.extFields(ext);
        return channel.connection.request(forward, timeoutMs)
                .map(resp -> {
                    RemotingCommand out = RemotingCommand.responseTo(req, resp.code(), resp.remark());
                    if (resp.extFields() != null) {
                        out.extFields(new HashMap<>(resp.extFields()));
                    }
                    return out.body(resp.body());
                })
                .recover(e -> e instanceof TimeoutException
                        ? answer(req, ResponseCode.CONSUME_MSG_TIMEOUT, "consumer <" + group + "> <" + clientId
                                + "> Timeout: " + e.getMessage())
                        : answer(req, ResponseCode.SYSTEM_ERROR, "invoke consumer <" + group + "> <" + clientId
                                + "> Exception: " + e.getMessage()));
    }

    /** The group's live channel of {@code clientId}, or null (any channel of the group when clientId is blank). */
    private ClientChannel find(String group, String clientId) {
        ConsumerGroupInfo info = consumers.group(group);
        if (info == null) {
            return null;
        }
        for (ClientChannel c : info.channels()) {
            if (!c.connection.isClosed() && (clientId == null || clientId.isEmpty() || c.clientId.equals(clientId))) {
                return c;
            }
        }
        return null;
    }

    private static Future<RemotingCommand> answer(RemotingCommand req, int code, String remark) {
        return Future.succeededFuture(RemotingCommand.responseTo(req, code, remark));
    }
}

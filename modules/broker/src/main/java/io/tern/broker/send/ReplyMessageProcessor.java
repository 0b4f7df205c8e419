package io.tern.broker.send;

import io.tern.broker.BrokerAddress;
import io.tern.broker.BrokerConfig;
import io.tern.broker.client.ClientChannel;
import io.tern.broker.client.ProducerRegistry;
import io.tern.common.message.MessageConst;
import io.tern.common.message.ParsedProperties;
import io.tern.remoting.RemotingChannel;
import io.tern.remoting.protocol.RemotingCommand;
import io.tern.remoting.protocol.RemotingProtocolException;
import io.tern.remoting.protocol.RequestCode;
import io.tern.remoting.protocol.ResponseCode;
import io.tern.store.MessageStore;
import io.tern.store.StoreMessage;
import io.vertx.core.Future;
import java.nio.ByteBuffer;

/**
 * SEND_REPLY_MESSAGE (324, V1 header) and SEND_REPLY_MESSAGE_V2 (325), spec 3.3.2: the reply is pushed to the
 * requesting client (PUSH_REPLY_MESSAGE_TO_CLIENT, 326, found by its REPLY_TO_CLIENT clientId among producer
 * channels) and also stored in the reply topic. Runs on the event loop; the push and the put are asynchronous.
 */
public final class ReplyMessageProcessor {
    static final long PUSH_TIMEOUT_MS = 10_000;

    private final BrokerConfig config;
    private final BrokerAddress address;
    private final MessageStore store;
    private final ProducerRegistry producers;
    private final SendMessageProcessor send;

    public ReplyMessageProcessor(BrokerConfig config, BrokerAddress address, MessageStore store,
                                 ProducerRegistry producers, SendMessageProcessor send) {
        this.config = config;
        this.address = address;
        this.store = store;
        this.producers = producers;
        this.send = send;
    }

    public Future<RemotingCommand> process(RemotingChannel conn, RemotingCommand req) {
        SendMessageHeader h;
        try {
            h = SendMessageHeader.of(req);
        } catch (RemotingProtocolException e) {
            return Future.succeededFuture(SendResponses.error(config, address, req, ResponseCode.SYSTEM_ERROR,
                    e.getMessage()));
        }
        SendMessageProcessor.Target target = send.checkTarget(conn, req, h);
        if (target.error() != null) {
            return Future.succeededFuture(target.error());
        }
        ParsedProperties props = ParsedProperties.parse(h.properties());
        long now = System.currentTimeMillis();
        props.put(MessageConst.PUSH_REPLY_TIME, String.valueOf(now));
        String clientId = props.get(MessageConst.REPLY_TO_CLIENT);
        ClientChannel requester = clientId == null ? null : producers.findByClientId(clientId);
        Future<String> pushed = requester == null
                ? Future.succeededFuture("push reply message fail, channel of <" + clientId + "> not found")
                : requester.connection.request(pushRequest(conn, h, target.queueId(), props, req, now), PUSH_TIMEOUT_MS)
                        .map(resp -> resp.code() == ResponseCode.SUCCESS ? null
                                : "push reply message fail, client answered " + resp.code() + " " + resp.remark())
                        .recover(e -> Future.succeededFuture("push reply message fail: " + e.getMessage()));
        return pushed.compose(failure -> store(conn, req, h, target, props).map(stored -> {
            if (failure != null) {
                return SendResponses.error(config, address, req, ResponseCode.SYSTEM_ERROR, failure);
            }
            return stored;
        }));
    }

    /** Stores the reply like a normal send (storeReplyMessageEnable is on in the reference). */
    private Future<RemotingCommand> store(RemotingChannel conn, RemotingCommand req, SendMessageHeader h,
                                          SendMessageProcessor.Target target, ParsedProperties props) {
        StoreMessage m = StoreMessageBuilder.build(config, address, conn, target.topic().topicName, target.queueId(),
                h.flag(), h.sysFlag(), h.bornTimestamp(), h.reconsumeTimes(), SendMessageProcessor.nioBody(req.body()),
                props.copy());
        return Future.fromCompletionStage(store.put(m), conn.context())
                .map(result -> SendResponses.of(config, address, req, result, target.queueId(), null));
    }

    private RemotingCommand pushRequest(RemotingChannel conn, SendMessageHeader h, int queueId,
                                        ParsedProperties props, RemotingCommand req, long now) {
        String bornHost = conn.remoteAddress();
        ByteBuffer body = SendMessageProcessor.nioBody(req.body());
        byte[] bytes = new byte[body.remaining()];
        body.get(bytes);
        return RemotingCommand.request(RequestCode.PUSH_REPLY_MESSAGE_TO_CLIENT)
                .put("producerGroup", h.producerGroup()).put("topic", h.topic()).put("defaultTopic", h.defaultTopic())
                .put("defaultTopicQueueNums", h.defaultTopicQueueNums()).put("queueId", queueId)
                .put("sysFlag", h.sysFlag()).put("bornTimestamp", h.bornTimestamp()).put("flag", h.flag())
                .put("properties", props.encoded()).put("reconsumeTimes", h.reconsumeTimes())
                .put("unitMode", h.unitMode()).put("bornHost", bornHost)
                .put("storeHost", address.hostPort()).put("storeTimestamp", now)
                .body(bytes);
    }
}

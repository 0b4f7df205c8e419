package io.tern.broker.send;

import io.tern.broker.BrokerServices;
import io.tern.broker.client.ClientChannel;
import io.tern.common.message.MessageConst;
import io.tern.common.message.MessageProperties;
import io.tern.common.protocol.PermName;
import io.tern.common.protocol.TopicConfig;
import io.tern.common.protocol.TopicValidator;
import io.tern.remoting.ProcessorTable;
import io.tern.remoting.RemotingConnection;
import io.tern.remoting.protocol.RemotingCommand;
import io.tern.remoting.protocol.RemotingProtocolException;
import io.tern.remoting.protocol.RequestCode;
import io.tern.remoting.protocol.ResponseCode;
import io.tern.store.PutResult;
import io.tern.store.StoreMessage;
import io.vertx.core.Future;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Request/reply (spec 3.3.2): SEND_REPLY_MESSAGE (324, V1 header) and SEND_REPLY_MESSAGE_V2 (325). The reply is
 * pushed with PUSH_REPLY_MESSAGE_TO_CLIENT (326, sync, 10 s) to the producer channel whose clientId is the
 * message's REPLY_TO_CLIENT, then stored in its reply topic like a normal message. The answer is SUCCESS with
 * {@code msgId="0"}, {@code queueOffset=0} when the push worked — overwritten by the store's msgId and offset once
 * stored — and SYSTEM_ERROR with the push failure otherwise, as the reference does.
 *
 * <p>Runs on the event loop; the push and the append complete asynchronously.
 */
public final class ReplyMessageProcessor {
    /** The reference's timeout of the push to the requester. */
    static final long PUSH_TIMEOUT_MS = 10_000;

    private final BrokerServices broker;

    public ReplyMessageProcessor(BrokerServices broker) {
        this.broker = broker;
    }

    public void register(ProcessorTable table) {
        table.register(RequestCode.SEND_REPLY_MESSAGE, this::process)
                .register(RequestCode.SEND_REPLY_MESSAGE_V2, this::process);
    }

    private record PushResult(boolean ok, String remark) {
    }

    public Future<RemotingCommand> process(RemotingConnection conn, RemotingCommand req) {
        SendMessageHeader h;
        try {
            h = req.code() == RequestCode.SEND_REPLY_MESSAGE ? SendMessageHeader.v1(req) : SendMessageHeader.v2(req);
        } catch (RemotingProtocolException e) {
            return done(SendResponses.error(broker, req, ResponseCode.SYSTEM_ERROR, e.getMessage()));
        }
        String invalid = TopicValidator.validate(h.topic());
        if (invalid != null) {
            return done(SendResponses.error(broker, req, ResponseCode.SYSTEM_ERROR, invalid));
        }
        TopicConfig tc = broker.topics.get(h.topic());
        if (tc == null) {
            tc = broker.topics.createInSendMessage(h.topic(), h.defaultTopic(), h.defaultTopicQueueNums(), 0);
            if (tc == null) {
                return done(SendResponses.error(broker, req, ResponseCode.TOPIC_NOT_EXIST,
                        "topic[" + h.topic() + "] not exist, apply first please!"));
            }
        }
        if (!PermName.isWriteable(tc.perm) || !PermName.isWriteable(broker.config.brokerPermission)) {
            return done(SendResponses.error(broker, req, ResponseCode.NO_PERMISSION,
                    "the topic[" + h.topic() + "] sending message is forbidden"));
        }
        int queueId = h.queueId();
        if (queueId >= Math.max(tc.writeQueueNums, tc.readQueueNums)) {
            return done(SendResponses.error(broker, req, ResponseCode.SYSTEM_ERROR,
                    "request queueId[" + queueId + "] is illegal, " + tc + " Producer: " + conn.remoteAddress()));
        }
        if (queueId < 0) {
            queueId = ThreadLocalRandom.current().nextInt(Math.max(1, tc.writeQueueNums));
        }
        int replyQueueId = queueId;
        return push(conn, req, h, replyQueueId).compose(push -> store(conn, req, h, replyQueueId, push));
    }

    /** PUSH_REPLY_MESSAGE_TO_CLIENT to the requester named in REPLY_TO_CLIENT. */
    private Future<PushResult> push(RemotingConnection conn, RemotingCommand req, SendMessageHeader h, int queueId) {
        Map<String, String> props = MessageProperties.parse(h.properties());
        String requester = props.get(MessageConst.REPLY_TO_CLIENT);
        if (requester == null) {
            return Future.succeededFuture(new PushResult(false, MessageConst.REPLY_TO_CLIENT + " is null"));
        }
        ClientChannel channel = broker.producers.findByClientId(requester);
        if (channel == null) {
            return Future.succeededFuture(new PushResult(false,
                    "push reply message fail, channel of <" + requester + "> not found."));
        }
        props.put(MessageConst.PUSH_REPLY_TIME, String.valueOf(System.currentTimeMillis()));
        RemotingCommand pushReq = RemotingCommand.request(RequestCode.PUSH_REPLY_MESSAGE_TO_CLIENT)
                .put("producerGroup", h.producerGroup()).put("topic", h.topic())
                .put("defaultTopic", h.defaultTopic()).put("defaultTopicQueueNums", h.defaultTopicQueueNums())
                .put("queueId", queueId).put("sysFlag", h.sysFlag()).put("bornTimestamp", h.bornTimestamp())
                .put("flag", h.flag()).put("properties", MessageProperties.encode(props))
                .put("reconsumeTimes", h.reconsumeTimes()).put("unitMode", h.unitMode())
                .put("bornHost", conn.remoteAddress()).put("storeHost", broker.brokerAddr)
                .put("storeTimestamp", System.currentTimeMillis())
                .body(req.body());
        return channel.connection.request(pushReq, PUSH_TIMEOUT_MS)
                .map(resp -> resp.code() == ResponseCode.SUCCESS ? new PushResult(true, null)
                        : new PushResult(false, "push reply message to " + requester + "return code: " + resp.code()
                                + ", remark: " + resp.remark()))
                .otherwise(e -> new PushResult(false, "push reply message to " + requester + " fail."));
    }

    private Future<RemotingCommand> store(RemotingConnection conn, RemotingCommand req, SendMessageHeader h,
                                          int queueId, PushResult push) {
        StoreMessage m = StoreMessageBuilder.build(broker, conn, h.topic(), queueId, h.flag(), h.sysFlag(),
                h.bornTimestamp(), h.reconsumeTimes(), SendMessageProcessor.nioBody(req.body()),
                MessageProperties.parse(h.properties()));
        return Future.fromCompletionStage(broker.store.put(m), conn.context())
                .otherwise(e -> PutResult.failure(PutResult.PutStatus.UNKNOWN_ERROR, String.valueOf(e.getMessage())))
                .map(put -> {
                    RemotingCommand resp;
                    if (put.isStored()) {
                        resp = SendResponses.of(broker, req, put, queueId, null);
                        resp.code(push.ok ? ResponseCode.SUCCESS : ResponseCode.SYSTEM_ERROR).remark(push.remark);
                    } else if (push.ok) {
                        resp = SendResponses.decorate(broker, RemotingCommand.responseTo(req, ResponseCode.SUCCESS, null))
                                .put("msgId", "0").put("queueId", queueId).put("queueOffset", 0L);
                    } else {
                        resp = SendResponses.error(broker, req, ResponseCode.SYSTEM_ERROR, push.remark);
                    }
                    return resp;
                });
    }

    private static Future<RemotingCommand> done(RemotingCommand resp) {
        return Future.succeededFuture(resp);
    }
}

package io.tern.broker.query;

import io.netty.buffer.Unpooled;
import io.tern.broker.BrokerConfig;
import io.tern.remoting.RemotingChannel;
import io.tern.remoting.protocol.RemotingCommand;
import io.tern.remoting.protocol.ResponseCode;
import io.tern.store.MessageStore;
import io.tern.store.QueryResult;
import io.vertx.core.Future;
import io.vertx.core.internal.buffer.BufferInternal;
import java.nio.ByteBuffer;

/**
 * QUERY_MESSAGE (12, registered blocking: walks index files) and VIEW_MESSAGE_BY_ID (33), spec 3.6. Bodies are
 * stored-format records, wrapped without copying.
 */
public final class MessageQueryProcessors {
    private final BrokerConfig config;
    private final MessageStore store;

    public MessageQueryProcessors(BrokerConfig config, MessageStore store) {
        this.config = config;
        this.store = store;
    }

    public Future<RemotingCommand> queryMessage(RemotingChannel conn, RemotingCommand req) {
        String topic = req.required("topic");
        String key = req.required("key");
        int maxNum = req.requiredInt("maxNum");
        if (req.extBool("_UNIQUE_KEY_QUERY")) {
            maxNum = config.store.defaultQueryMaxNum;
        }
        QueryResult result = store.query(topic, key, Math.max(1, maxNum), req.requiredLong("beginTimestamp"),
                req.requiredLong("endTimestamp"));
        boolean found = result != null && result.messages() != null && !result.messages().isEmpty();
        RemotingCommand resp = RemotingCommand.responseTo(req, found ? ResponseCode.SUCCESS : ResponseCode.QUERY_NOT_FOUND,
                found ? null : "can not find message, maybe time range not correct")
                .put("indexLastUpdateTimestamp", result == null ? 0 : result.indexLastUpdateTimestamp())
                .put("indexLastUpdatePhyoffset", result == null ? 0 : result.indexLastUpdatePhyoffset());
        if (found) {
            resp.body(BufferInternal.buffer(Unpooled.wrappedBuffer(result.messages().toArray(new ByteBuffer[0]))));
        }
        return Future.succeededFuture(resp);
    }

    public Future<RemotingCommand> viewMessageById(RemotingChannel conn, RemotingCommand req) {
        long offset = req.requiredLong("offset");
        ByteBuffer record = store.messageAt(offset);
        if (record == null) {
            return Future.succeededFuture(RemotingCommand.responseTo(req, ResponseCode.SYSTEM_ERROR,
                    "can not find message by the offset, " + offset));
        }
        // the reference answers without ext fields
        return Future.succeededFuture(RemotingCommand.responseTo(req, ResponseCode.SUCCESS, null)
                .body(BufferInternal.buffer(Unpooled.wrappedBuffer(record))));
    }
}

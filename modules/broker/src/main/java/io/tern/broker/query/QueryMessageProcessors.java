package io.tern.broker.query;

import io.tern.broker.BrokerServices;
import io.tern.remoting.ProcessorTable;
import io.tern.remoting.RemotingConnection;
import io.tern.remoting.protocol.RemotingCommand;
import io.tern.remoting.protocol.RequestCode;
import io.tern.remoting.protocol.ResponseCode;
import io.tern.store.QueryResult;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import java.nio.ByteBuffer;

/**
 * Message queries (spec 3.6): QUERY_MESSAGE (12) by {@code topic#key} through the store index and
 * VIEW_MESSAGE_BY_ID (33) by commit-log offset. Bodies are stored records concatenated as they are on disk.
 *
 * <p>Runs on the event loop: index and commit-log reads go to mapped pages and do not block.
 */
public final class QueryMessageProcessors {
    /** Ext field the client adds outside the header class for a unique-key (msgId) query. */
    static final String UNIQUE_KEY_QUERY = "_UNIQUE_KEY_QUERY";

    private final BrokerServices broker;

    public QueryMessageProcessors(BrokerServices broker) {
        this.broker = broker;
    }

    public void register(ProcessorTable table) {
        table.register(RequestCode.QUERY_MESSAGE, this::queryMessage)
                .register(RequestCode.VIEW_MESSAGE_BY_ID, this::viewMessageById);
    }

    public Future<RemotingCommand> queryMessage(RemotingConnection conn, RemotingCommand req) {
        String topic = req.required("topic");
        String key = req.required("key");
        int maxNum = req.requiredInt("maxNum");
        long begin = req.requiredLong("beginTimestamp");
        long end = req.requiredLong("endTimestamp");
        if (Boolean.parseBoolean(req.ext(UNIQUE_KEY_QUERY))) {
            maxNum = broker.config.store.defaultQueryMaxNum;
        }
        QueryResult result = broker.store.query(topic, key, maxNum, begin, end);
        if (result.messages().isEmpty()) {
            return Future.succeededFuture(RemotingCommand.responseTo(req, ResponseCode.QUERY_NOT_FOUND,
                    "can not find message, maybe time range not correct")
                    .put("indexLastUpdateTimestamp", 0L).put("indexLastUpdatePhyoffset", 0L));
        }
        return Future.succeededFuture(RemotingCommand.responseTo(req, ResponseCode.SUCCESS, null)
                .put("indexLastUpdateTimestamp", result.indexLastUpdateTimestamp())
                .put("indexLastUpdatePhyoffset", result.indexLastUpdatePhyoffset())
                .body(concat(result)));
    }

    public Future<RemotingCommand> viewMessageById(RemotingConnection conn, RemotingCommand req) {
        long offset = req.requiredLong("offset");
        ByteBuffer record = broker.store.messageAt(offset);
        if (record == null) {
            return Future.succeededFuture(RemotingCommand.responseTo(req, ResponseCode.SYSTEM_ERROR,
                    "can not find message by the offset, " + offset));
        }
        // no ext fields at all: the reference answers with a header-less response here
        return Future.succeededFuture(RemotingCommand.responseTo(req, ResponseCode.SUCCESS, null)
                .body(copy(record)));
    }

    private static Buffer concat(QueryResult result) {
        int total = 0;
        for (ByteBuffer b : result.messages()) {
            total += b.remaining();
        }
        Buffer out = Buffer.buffer(total);
        for (ByteBuffer b : result.messages()) {
            out.appendBytes(bytes(b));
        }
        return out;
    }

    private static Buffer copy(ByteBuffer record) {
        return Buffer.buffer(bytes(record));
    }

    private static byte[] bytes(ByteBuffer b) {
        byte[] a = new byte[b.remaining()];
        b.duplicate().get(a);
        return a;
    }
}

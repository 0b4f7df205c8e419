package io.tern.broker.transaction;

import io.tern.broker.BrokerAddress;
import io.tern.broker.message.StoredRecord;
import io.tern.common.message.MessageConst;
import io.tern.common.message.MessageIds;
import io.tern.common.message.ParsedProperties;
import io.tern.common.message.TagCodes;
import io.tern.common.protocol.SystemNames;
import io.tern.remoting.RemotingChannel;
import io.tern.remoting.protocol.RemotingCommand;
import io.tern.remoting.protocol.ResponseCode;
import io.tern.store.MessageStore;
import io.tern.store.StoreMessage;
import io.vertx.core.Future;
import java.nio.ByteBuffer;
import java.util.Map;

/**
 * RESUME_CHECK_HALF_MESSAGE (323, spec 3.7): puts the message named by the offset msg id {@code msgId} — normally
 * one given up in TRANS_CHECK_MAX_TIME_TOPIC — back into RMQ_SYS_TRANS_HALF_TOPIC queue 0 with
 * TRANSACTION_CHECK_TIMES reset to 0, so the check service asks its producer again.
 *
 * <p>Runs on the event loop: the record is read from mapped pages, the copy handed to the store writer.
 */
public final class ResumeCheckHalfMessageProcessor {
    private final BrokerAddress address;
    private final MessageStore store;

    public ResumeCheckHalfMessageProcessor(BrokerAddress address, MessageStore store) {
        this.address = address;
        this.store = store;
    }

    public Future<RemotingCommand> process(RemotingChannel conn, RemotingCommand req) {
        String msgId = req.ext("msgId");
        ByteBuffer record;
        try {
            record = store.messageAt(MessageIds.physicalOffset(msgId));
        } catch (IllegalArgumentException e) {
            record = null;
        }
        if (record == null) {
            return Future.succeededFuture(RemotingCommand.responseTo(req, ResponseCode.SYSTEM_ERROR,
                    "Exception process half message"));
        }
        StoredRecord given = StoredRecord.decode(record);
        ParsedProperties props = ParsedProperties.parse(given.properties());
        props.put(MessageConst.TRANSACTION_CHECK_TIMES, "0");
        StoreMessage m = given.rewrite(address.hostBytes(), address.port());
        m.topic = SystemNames.TRANS_HALF_TOPIC;
        m.queueId = 0;
        m.withProperties(props);
        m.tagsCode = TagCodes.of(props.tags());
        return Future.fromCompletionStage(store.put(m), conn.context())
                .map(put -> put.isStored() ? RemotingCommand.successTo(req)
                        : RemotingCommand.responseTo(req, ResponseCode.SYSTEM_ERROR,
                                "Put message back to RMQ_SYS_TRANS_HALF_TOPIC failed."));
    }
}

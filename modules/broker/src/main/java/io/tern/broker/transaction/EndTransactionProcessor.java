package io.tern.broker.transaction;

import io.tern.broker.BrokerAddress;
import io.tern.broker.BrokerConfig;
import io.tern.broker.control.BrokerBus;
import io.tern.broker.control.TransactionEnded;
import io.tern.broker.message.StoredRecord;
import io.tern.common.message.MessageConst;
import io.tern.common.message.MessageProperties;
import io.tern.common.message.MessageSysFlag;
import io.tern.remoting.RemotingChannel;
import io.tern.remoting.protocol.RemotingCommand;
import io.tern.remoting.protocol.ResponseCode;
import io.tern.store.MessageStore;
import io.tern.store.PutResult;
import io.vertx.core.Future;
import java.nio.ByteBuffer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * END_TRANSACTION (37, oneway from clients), spec 3.3.3: commit stores the half message's real copy then an op
 * record; rollback only the op record; "unknown" does nothing (the checker asks again). Once the op record is
 * stored, the transaction checker is told ({@link BrokerBus#transactionEnded}). Runs on the event loop.
 */
public final class EndTransactionProcessor {
    private static final Logger LOG = LoggerFactory.getLogger(EndTransactionProcessor.class);

    private final BrokerConfig config;
    private final BrokerAddress address;
    private final MessageStore store;

    public EndTransactionProcessor(BrokerConfig config, BrokerAddress address, MessageStore store) {
        this.config = config;
        this.address = address;
        this.store = store;
    }

    public Future<RemotingCommand> process(RemotingChannel conn, RemotingCommand req) {
        if (config.brokerId != 0) {
            return answer(req, ResponseCode.SLAVE_NOT_AVAILABLE, "Can't process END_TRANSACTION on a slave");
        }
        int type = req.requiredInt("commitOrRollback");
        if (type != MessageSysFlag.TRANSACTION_COMMIT_TYPE && type != MessageSysFlag.TRANSACTION_ROLLBACK_TYPE) {
            return Future.succeededFuture();
        }
        String producerGroup = req.required("producerGroup");
        long commitLogOffset = req.requiredLong("commitLogOffset");
        long tranStateTableOffset = req.requiredLong("tranStateTableOffset");
        ByteBuffer record = store.messageAt(commitLogOffset);
        if (record == null) {
            return answer(req, ResponseCode.SYSTEM_ERROR, "Find prepared transaction message failed");
        }
        StoredRecord half = StoredRecord.decode(record);
        String pgroup = MessageProperties.get(half.properties(), MessageConst.PRODUCER_GROUP);
        if (pgroup == null || !pgroup.equals(producerGroup)) {
            return answer(req, ResponseCode.SYSTEM_ERROR, "The producer group wrong");
        }
        if (half.queueOffset() != tranStateTableOffset) {
            return answer(req, ResponseCode.SYSTEM_ERROR, "The transaction state table offset wrong");
        }
        if (half.physicalOffset() != commitLogOffset) {
            return answer(req, ResponseCode.SYSTEM_ERROR, "The commit log offset wrong");
        }
        Future<PutResult> stored = type == MessageSysFlag.TRANSACTION_COMMIT_TYPE
                ? Future.fromCompletionStage(store.put(TransactionMessages.committed(address, half,
                        commitLogOffset)), conn.context())
                : Future.succeededFuture(null);
        return stored.compose(result -> {
            if (result != null && !result.isStored()) {
                LOG.warn("commit of half message {} failed: {}", commitLogOffset, result.status());
                return answer(req, ResponseCode.SYSTEM_ERROR, result.status().name());
            }
            return Future.fromCompletionStage(store.put(TransactionMessages.op(address, half)), conn.context())
                    .map(op -> {
                        if (op.isStored()) {
                            BrokerBus.tell(conn.context().owner(), BrokerBus.transactionEnded(address.hostPort()),
                                    new TransactionEnded(half.queueOffset(), result != null));
                        } else {
                            LOG.warn("op record of half message {} not stored: {}", commitLogOffset, op.status());
                        }
                        return RemotingCommand.successTo(req);
                    });
        });
    }

    private static Future<RemotingCommand> answer(RemotingCommand req, int code, String remark) {
        return Future.succeededFuture(RemotingCommand.responseTo(req, code, remark));
    }
}

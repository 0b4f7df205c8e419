package io.tern.broker.transaction;

import io.tern.broker.BrokerAddress;
import io.tern.broker.message.StoredRecord;
import io.tern.common.message.MessageConst;
import io.tern.common.message.ParsedProperties;
import io.tern.common.message.MessageSysFlag;
import io.tern.common.message.TagCodes;
import io.tern.common.protocol.SystemNames;
import io.tern.store.StoreMessage;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * The messages of the transaction protocol (spec 6.8): the committed copy of a half message, the "op" record
 * that marks a half message finished, and the re-written half message a check sends out.
 *
 * <p>Stateless.
 */
final class TransactionMessages {
    /** Tag of op records. */
    static final String REMOVE_TAG = "d";

    private TransactionMessages() {
    }

    /** The real message of a committed half message: real topic/queue, COMMIT type, the half's store time. */
    static StoreMessage committed(BrokerAddress address, StoredRecord half, long halfCommitLogOffset) {
        ParsedProperties props = ParsedProperties.parse(half.properties());
        StoreMessage m = base(address, half);
        m.topic = props.get(MessageConst.REAL_TOPIC);
        m.queueId = parseInt(props.get(MessageConst.REAL_QUEUE_ID));
        props.remove(MessageConst.TRAN_PREPARED_QUEUE_OFFSET);
        // like 4.9 the committed copy keeps TRAN_MSG, REAL_TOPIC, REAL_QID and TRANSACTION_CHECK_TIMES
        m.withProperties(props);
        m.sysFlag = MessageSysFlag.withTransactionType(half.sysFlag(), MessageSysFlag.TRANSACTION_COMMIT_TYPE);
        m.preparedTransactionOffset = halfCommitLogOffset;
        m.storeTimestamp = half.storeTimestamp();
        m.tagsCode = TagCodes.of(props.tags());
        return m;
    }

    /** The op record: body = the finished half message's queue offset in decimal, same queue id. */
    static StoreMessage op(BrokerAddress address, StoredRecord half) {
        StoreMessage m = new StoreMessage();
        m.topic = SystemNames.TRANS_OP_HALF_TOPIC;
        m.queueId = half.queueId();
        m.body = ByteBuffer.wrap(String.valueOf(half.queueOffset()).getBytes(StandardCharsets.UTF_8));
        m.withProperties(ParsedProperties.of(Map.of(MessageConst.TAGS, REMOVE_TAG,
                MessageConst.WAIT_STORE_MSG_OK, "false")));
        m.bornTimestamp = System.currentTimeMillis();
        m.bornHostAddress = address.hostBytes();
        m.bornHostPort = address.port();
        m.storeHostAddress = address.hostBytes();
        m.storeHostPort = address.port();
        m.tagsCode = TagCodes.of(REMOVE_TAG);
        return m;
    }

    /** A fresh copy of an unfinished half message, counting one more check. */
    static StoreMessage recheckCopy(BrokerAddress address, StoredRecord half) {
        ParsedProperties props = ParsedProperties.parse(half.properties());
        int checks = parseInt(props.get(MessageConst.TRANSACTION_CHECK_TIMES));
        props.put(MessageConst.TRANSACTION_CHECK_TIMES, String.valueOf(checks + 1));
        props.putIfAbsent(MessageConst.TRAN_PREPARED_QUEUE_OFFSET, String.valueOf(half.queueOffset()));
        StoreMessage m = base(address, half);
        m.topic = SystemNames.TRANS_HALF_TOPIC;
        m.queueId = half.queueId();
        m.withProperties(props);
        m.sysFlag = half.sysFlag();
        m.tagsCode = TagCodes.of(props.tags());
        return m;
    }

    /** A half message given up after too many checks. */
    static StoreMessage givenUp(BrokerAddress address, StoredRecord half) {
        StoreMessage m = base(address, half);
        m.topic = SystemNames.TRANS_CHECK_MAX_TIME_TOPIC;
        m.queueId = 0;
        m.withProperties(ParsedProperties.parse(half.properties()));
        m.sysFlag = half.sysFlag();
        return m;
    }

    private static StoreMessage base(BrokerAddress address, StoredRecord half) {
        return half.rewrite(address.hostBytes(), address.port());
    }

    static int parseInt(String v) {
        if (v == null) {
            return 0;
        }
        try {
            return Integer.parseInt(v.trim());
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    static long parseLong(String v, long def) {
        if (v == null) {
            return def;
        }
        try {
            return Long.parseLong(v.trim());
        } catch (NumberFormatException e) {
            return def;
        }
    }
}

package io.tern.broker.message;

import io.tern.broker.BrokerServices;
import io.tern.common.message.MessageConst;
import io.tern.common.message.MessageProperties;
import io.tern.common.message.TagCodes;
import io.tern.store.StoreMessage;
import io.tern.store.impl.RecordCodec;
import java.nio.ByteBuffer;

/**
 * Builds new records from stored ones: the re-writes of scheduled delivery, retry, transaction commit and check
 * keep body, flag, sysFlag, born time/host and reconsume count of the original and change topic, queue and
 * properties (spec 3.3.3, 3.4.6, 6.7, 6.8).
 *
 * <p>Stateless; safe from any thread.
 */
public final class MessageCopy {
    private MessageCopy() {
    }

    /**
     * A copy of {@code r} for {@code topic}/{@code queueId} with {@code properties} stored verbatim; the tag code is
     * recomputed from the TAGS inside them and the store host is this broker.
     */
    public static StoreMessage of(BrokerServices broker, StoredRecord r, String topic, int queueId,
                                  String properties) {
        StoreMessage m = new StoreMessage();
        m.topic = topic;
        m.queueId = queueId;
        m.flag = r.flag();
        m.body = ByteBuffer.wrap(r.body());
        m.properties = properties;
        m.sysFlag = r.sysFlag();
        m.bornTimestamp = r.bornTimestamp();
        m.bornHostAddress = r.bornHost();
        m.bornHostPort = r.bornPort();
        m.storeHostAddress = broker.storeHostAddress;
        m.storeHostPort = broker.storeHostPort;
        m.reconsumeTimes = r.reconsumeTimes();
        m.tagsCode = TagCodes.of(MessageProperties.get(properties, MessageConst.TAGS));
        return m;
    }

    /**
     * The wire form (spec 5.3) of {@code r} as if it were stored under {@code topic}/{@code queueId} with
     * {@code properties}, keeping its queue offset, commit-log offset and store time: the body of
     * CHECK_TRANSACTION_STATE, which the client decodes with the real topic.
     */
    public static ByteBuffer wireForm(StoredRecord r, String topic, int queueId, String properties) {
        StoreMessage m = new StoreMessage();
        m.topic = topic;
        m.queueId = queueId;
        m.flag = r.flag();
        m.body = ByteBuffer.wrap(r.body());
        m.properties = properties;
        m.sysFlag = r.sysFlag();
        m.bornTimestamp = r.bornTimestamp();
        m.bornHostAddress = r.bornHost();
        m.bornHostPort = r.bornPort();
        m.storeHostAddress = r.storeHost();
        m.storeHostPort = r.storePort();
        m.reconsumeTimes = r.reconsumeTimes();
        m.preparedTransactionOffset = r.preparedTransactionOffset();
        try {
            ByteBuffer encoded = RecordCodec.encode(m, Integer.MAX_VALUE);
            RecordCodec.patch(encoded, r.queueOffset(), r.physicalOffset(), r.storeTimestamp());
            return encoded;
        } catch (RecordCodec.InvalidMessageException e) {
            throw new IllegalArgumentException("cannot re-encode record at " + r.physicalOffset() + ": "
                    + e.getMessage(), e);
        }
    }
}

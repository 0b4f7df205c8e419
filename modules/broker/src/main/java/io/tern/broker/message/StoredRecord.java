package io.tern.broker.message;

import io.tern.common.message.StoredRecordLayout;
import io.tern.store.StoreMessage;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * A stored record (spec 5.3, layout owned by {@link StoredRecordLayout}) read back from the store, for the broker
 * paths that re-write messages: scheduled delivery, send-back to %RETRY%, transaction commit. The body is a view of
 * the record, not a copy.
 */
public record StoredRecord(int queueId, int flag, long queueOffset, long physicalOffset, int sysFlag,
                           long bornTimestamp, byte[] bornHost, int bornPort, long storeTimestamp, byte[] storeHost,
                           int storePort, int reconsumeTimes, long preparedTransactionOffset, ByteBuffer body,
                           String topic, String properties) {

    /**
     * A new message for this broker to store that keeps what every re-write keeps: flag, body, sysFlag, born time
     * and host, reconsume count. Callers set topic, queue id, properties and tag code, and change what they must.
     */
    public StoreMessage rewrite(byte[] storeHostAddress, int storeHostPort) {
        StoreMessage m = new StoreMessage();
        m.flag = flag;
        m.body = body;
        m.sysFlag = sysFlag;
        m.bornTimestamp = bornTimestamp;
        m.bornHostAddress = bornHost;
        m.bornHostPort = bornPort;
        m.storeHostAddress = storeHostAddress;
        m.storeHostPort = storeHostPort;
        m.reconsumeTimes = reconsumeTimes;
        return m;
    }

    /** Decodes the record starting at the buffer's position and ending by its limit. */
    public static StoredRecord decode(ByteBuffer record) {
        StoredRecordLayout.View v = new StoredRecordLayout.View();
        if (!v.wrap(record, record.position(), record.limit())) {
            throw new IllegalArgumentException("not a stored record at " + record.position());
        }
        return new StoredRecord(v.queueId(), v.flag(), v.queueOffset(), v.physicalOffset(), v.sysFlag(),
                v.bornTimestamp(), v.bornHostAddress(), v.bornHostPort(), v.storeTimestamp(), v.storeHostAddress(),
                v.storeHostPort(), v.reconsumeTimes(), v.preparedTransactionOffset(), v.body(), v.topic(),
                v.properties());
    }

    /**
     * Re-encodes this record with another topic, queue id and properties, keeping its offsets and times
     * (CHECK_TRANSACTION_STATE shows the half message under its real topic).
     */
    public ByteBuffer encodeAs(String newTopic, int newQueueId, String newProperties) {
        ByteBuffer b = StoredRecordLayout.encode(newTopic.getBytes(StandardCharsets.UTF_8), newQueueId, flag, sysFlag,
                bornTimestamp, bornHost, bornPort, storeTimestamp, storeHost, storePort, reconsumeTimes,
                preparedTransactionOffset, body, newProperties.getBytes(StandardCharsets.UTF_8));
        StoredRecordLayout.stamp(b, queueOffset, physicalOffset, storeTimestamp);
        return b;
    }
}

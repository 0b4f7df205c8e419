package io.tern.broker.message;

import io.tern.common.message.MessageConst;
import io.tern.common.message.MessageIds;
import io.tern.common.message.MessageProperties;
import io.tern.common.message.MessageSysFlag;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * One stored record (spec 5.3) decoded into its fields, for the broker features that re-write messages:
 * scheduled delivery, send-back for retry, transaction commit and check.
 *
 * <pre>
 *  0        4        8        12       16       20               28               36       40
 *  +--------+--------+--------+--------+--------+----------------+----------------+--------+---------------+
 *  |TOTAL   |MAGIC   |BODYCRC |QUEUEID |FLAG    |QUEUEOFFSET     |PHYSICALOFFSET  |SYSFLAG |BORNTIMESTAMP  |
 *  +--------+--------+--------+--------+--------+----------------+----------------+--------+---------------+
 *  48: BORNHOST (4+4, or 16+4 with BORNHOST_V6), STORETIMESTAMP (8), STOREHOST (4+4 or 16+4 with STOREHOST_V6),
 *  RECONSUMETIMES (4), PREPARED TX OFFSET (8), BODY len (4) + body, TOPIC len (1) + topic,
 *  PROPERTIES len (2) + properties
 * </pre>
 *
 * <p>Immutable; {@code body} is a private copy, so the record outlives the mapped view it was read from.
 */
public record StoredRecord(int queueId, int flag, long queueOffset, long physicalOffset, int sysFlag,
                           long bornTimestamp, byte[] bornHost, int bornPort, long storeTimestamp, byte[] storeHost,
                           int storePort, int reconsumeTimes, long preparedTransactionOffset, byte[] body,
                           String topic, String properties) {

    /** Decodes the record starting at the position of {@code record} (the position is not moved). */
    public static StoredRecord decode(ByteBuffer record) {
        ByteBuffer b = record.duplicate();
        b.getInt(); // total size
        b.getInt(); // magic
        b.getInt(); // body crc
        int queueId = b.getInt();
        int flag = b.getInt();
        long queueOffset = b.getLong();
        long phy = b.getLong();
        int sysFlag = b.getInt();
        long born = b.getLong();
        byte[] bornHost = new byte[(sysFlag & MessageSysFlag.BORNHOST_V6) != 0 ? 16 : 4];
        b.get(bornHost);
        int bornPort = b.getInt();
        long storeTs = b.getLong();
        byte[] storeHost = new byte[(sysFlag & MessageSysFlag.STOREHOST_V6) != 0 ? 16 : 4];
        b.get(storeHost);
        int storePort = b.getInt();
        int reconsume = b.getInt();
        long prepared = b.getLong();
        byte[] body = new byte[b.getInt()];
        b.get(body);
        byte[] topic = new byte[b.get()];
        b.get(topic);
        byte[] props = new byte[b.getShort()];
        b.get(props);
        return new StoredRecord(queueId, flag, queueOffset, phy, sysFlag, born, bornHost, bornPort, storeTs,
                storeHost, storePort, reconsume, prepared, body, new String(topic, StandardCharsets.UTF_8),
                new String(props, StandardCharsets.UTF_8));
    }

    public Map<String, String> propertyMap() {
        return MessageProperties.parse(properties);
    }

    public String property(String name) {
        return MessageProperties.get(properties, name);
    }

    /** The offset msg id (spec 5.4.1) of this record. */
    public String offsetMsgId() {
        return MessageIds.offsetMsgId(storeHost, storePort, physicalOffset);
    }

    /** UNIQ_KEY when present, else the offset msg id: what clients call the msgId. */
    public String clientMsgId() {
        String uniq = property(MessageConst.UNIQ_KEY);
        return uniq != null ? uniq : offsetMsgId();
    }
}

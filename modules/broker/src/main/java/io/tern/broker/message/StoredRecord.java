package io.tern.broker.message;

import io.tern.common.message.MessageSysFlag;
import io.tern.store.StoreMessage;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * A stored record (spec 5.3) read back from the store, for the broker paths that re-write messages: scheduled
 * delivery, send-back to %RETRY%, transaction commit. The body is a view of the record, not a copy.
 *
 * <pre>
 *  TOTALSIZE 4 | MAGIC 4 | BODYCRC 4 | QUEUEID 4 | FLAG 4 | QUEUEOFFSET 8 | PHYSICALOFFSET 8 | SYSFLAG 4 |
 *  BORNTIMESTAMP 8 | BORNHOST 8/20 | STORETIMESTAMP 8 | STOREHOST 8/20 | RECONSUMETIMES 4 | PREPARED TX OFFSET 8 |
 *  BODY len 4 + body | TOPIC len 1 + topic | PROPERTIES len 2 + properties
 * </pre>
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

    /** Decodes the record starting at the buffer's position. */
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
        int bodyLen = b.getInt();
        ByteBuffer body = b.slice(b.position(), bodyLen);
        b.position(b.position() + bodyLen);
        byte[] topic = new byte[b.get()];
        b.get(topic);
        byte[] props = new byte[b.getShort()];
        b.get(props);
        return new StoredRecord(queueId, flag, queueOffset, phy, sysFlag, born, bornHost, bornPort, storeTs,
                storeHost, storePort, reconsume, prepared, body, new String(topic, StandardCharsets.UTF_8),
                new String(props, StandardCharsets.UTF_8));
    }

    /**
     * Re-encodes this record in the v1 layout with another topic, queue id and properties (CHECK_TRANSACTION_STATE
     * shows the half message under its real topic). BODYCRC is left 0: clients do not check it.
     */
    public ByteBuffer encodeAs(String newTopic, int newQueueId, String newProperties) {
        byte[] t = newTopic.getBytes(StandardCharsets.UTF_8);
        byte[] p = newProperties.getBytes(StandardCharsets.UTF_8);
        int bodyLen = body.remaining();
        int total = 4 + 4 + 4 + 4 + 4 + 8 + 8 + 4 + 8 + bornHost.length + 4 + 8 + storeHost.length + 4 + 4 + 8
                + 4 + bodyLen + 1 + t.length + 2 + p.length;
        ByteBuffer b = ByteBuffer.allocate(total);
        b.putInt(total).putInt(MAGIC_V1).putInt(0).putInt(newQueueId).putInt(flag).putLong(queueOffset)
                .putLong(physicalOffset).putInt(sysFlag).putLong(bornTimestamp).put(bornHost).putInt(bornPort)
                .putLong(storeTimestamp).put(storeHost).putInt(storePort).putInt(reconsumeTimes)
                .putLong(preparedTransactionOffset).putInt(bodyLen).put(body.duplicate())
                .put((byte) t.length).put(t).putShort((short) p.length).put(p);
        b.flip();
        return b;
    }

    static final int MAGIC_V1 = 0xDAA320A7;
}

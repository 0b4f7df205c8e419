package io.tern.client.impl;

import io.tern.client.MessageReceipt;
import io.tern.client.TernMessage;
import io.tern.common.message.MessageConst;
import io.tern.common.message.MessageIds;
import io.tern.common.message.MessageProperties;
import io.tern.common.message.MessageSysFlag;
import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decodes the stored/wire message records of a PULL_MESSAGE body (spec 5.3), concatenated in queue order:
 *
 * <pre>
 *  +-----------+-----------+---------+---------+------+-------------+----------------+---------+---------------+
 *  | TOTALSIZE | MAGICCODE | BODYCRC | QUEUEID | FLAG | QUEUEOFFSET | PHYSICALOFFSET | SYSFLAG | BORNTIMESTAMP |
 *  | 4         | 4         | 4       | 4       | 4    | 8           | 8              | 4       | 8             |
 *  +-----------+-----------+---------+---------+------+-------------+----------------+---------+---------------+
 *  | BORNHOST 8 (ip4+port) or 20 (ip6+port, sysFlag 0x10) | STORETIMESTAMP 8 | STOREHOST 8 or 20 (sysFlag 0x20) |
 *  +------------------------------------------------------+------------------+----------------------------------+
 *  | RECONSUMETIMES 4 | PREPARED TX OFFSET 8 | BODY len 4 + n | TOPIC len 1 (v1) or 2 (v2) + t | PROPS len 2 + p |
 *  +------------------+----------------------+----------------+--------------------------------+-----------------+
 * </pre>
 *
 * Compressed bodies (sysFlag 0x1, zlib) are inflated; the offset msg id is rebuilt from STOREHOST + PHYSICALOFFSET.
 * Stateless.
 */
final class StoredMessageDecoder {
    private static final Logger LOG = LoggerFactory.getLogger(StoredMessageDecoder.class);
    static final int MAGIC_V2 = 0xDAA320AB;

    private static final int OFF_MAGIC = 4;
    private static final int OFF_QUEUE_ID = 12;
    private static final int OFF_FLAG = 16;
    private static final int OFF_QUEUE_OFFSET = 20;
    private static final int OFF_PHYSICAL_OFFSET = 28;
    private static final int OFF_SYS_FLAG = 36;
    private static final int OFF_BORN_TIMESTAMP = 40;
    private static final int OFF_BORN_HOST = 48;

    /** Every record of {@code body}; a truncated tail record (never sent by a sane broker) ends decoding. */
    static List<TernMessage> decodeAll(Buffer body, String brokerName) {
        List<TernMessage> out = new ArrayList<>();
        int pos = 0;
        int len = body.length();
        while (pos + 4 <= len) {
            int total = body.getInt(pos);
            if (total <= 0 || pos + total > len) {
                LOG.warn("truncated record at {} of a {}-byte pull body from {}", pos, len, brokerName);
                break;
            }
            out.add(decode(body, pos, brokerName));
            pos += total;
        }
        return out;
    }

    static TernMessage decode(Buffer b, int start, String brokerName) {
        int magic = b.getInt(start + OFF_MAGIC);
        int queueId = b.getInt(start + OFF_QUEUE_ID);
        int flag = b.getInt(start + OFF_FLAG);
        long queueOffset = b.getLong(start + OFF_QUEUE_OFFSET);
        long physicalOffset = b.getLong(start + OFF_PHYSICAL_OFFSET);
        int sysFlag = b.getInt(start + OFF_SYS_FLAG);
        long bornTimestamp = b.getLong(start + OFF_BORN_TIMESTAMP);
        int pos = start + OFF_BORN_HOST + ((sysFlag & MessageSysFlag.BORNHOST_V6) != 0 ? 20 : 8);
        long storeTimestamp = b.getLong(pos);
        pos += 8;
        int storeIpLen = (sysFlag & MessageSysFlag.STOREHOST_V6) != 0 ? 16 : 4;
        byte[] storeIp = b.getBytes(pos, pos + storeIpLen);
        int storePort = b.getInt(pos + storeIpLen);
        pos += storeIpLen + 4;
        int reconsumeTimes = b.getInt(pos);
        pos += 4 + 8;
        int bodyLen = b.getInt(pos);
        pos += 4;
        Buffer messageBody = b.slice(pos, pos + bodyLen);
        pos += bodyLen;
        int topicLen;
        if (magic == MAGIC_V2) {
            topicLen = b.getShort(pos) & 0xFFFF;
            pos += 2;
        } else {
            topicLen = b.getByte(pos) & 0xFF;
            pos += 1;
        }
        String topic = b.getString(pos, pos + topicLen, StandardCharsets.UTF_8.name());
        pos += topicLen;
        int propsLen = b.getShort(pos) & 0xFFFF;
        pos += 2;
        String propsText = propsLen == 0 ? "" : b.getString(pos, pos + propsLen, StandardCharsets.UTF_8.name());
        Map<String, String> props = MessageProperties.parse(propsText);

        if ((sysFlag & MessageSysFlag.COMPRESSED) != 0) {
            if (BodyCompression.canDecompress(sysFlag)) {
                messageBody = Buffer.buffer(BodyCompression.decompress(messageBody.getBytes()));
            } else {
                LOG.warn("message at {} of {} is compressed with an unsupported type (sysFlag {}): body left as is",
                        queueOffset, topic, Integer.toHexString(sysFlag));
            }
        }
        String offsetMsgId = MessageIds.offsetMsgId(storeIp, storePort, physicalOffset);
        String uniqKey = props.get(MessageConst.UNIQ_KEY);
        MessageReceipt receipt = new MessageReceipt(uniqKey != null ? uniqKey : offsetMsgId, offsetMsgId, brokerName,
                queueId, queueOffset, physicalOffset, bornTimestamp, storeTimestamp, reconsumeTimes, sysFlag);
        return TernMessage.received(topic, messageBody, flag, props, receipt);
    }

    private StoredMessageDecoder() {
    }
}

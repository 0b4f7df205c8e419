package io.tern.client.impl;

import io.tern.client.MessageReceipt;
import io.tern.client.TernMessage;
import io.tern.common.message.MessageConst;
import io.tern.common.message.MessageIds;
import io.tern.common.message.MessageProperties;
import io.tern.common.message.MessageSysFlag;
import io.tern.common.message.StoredRecordLayout;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.buffer.BufferInternal;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns the stored records of a PULL_MESSAGE body (spec 5.3, concatenated in queue order; layout owned by
 * {@link StoredRecordLayout}) into {@link TernMessage}s. Message bodies are slices of the pull body; compressed
 * bodies (sysFlag 0x1) are inflated; the offset msg id is rebuilt from STOREHOST + PHYSICALOFFSET.
 *
 * <p>Stateless.
 */
final class StoredMessageDecoder {
    private static final Logger LOG = LoggerFactory.getLogger(StoredMessageDecoder.class);

    /** Every record of {@code body}; a malformed or truncated record (never sent by a sane broker) ends decoding. */
    static List<TernMessage> decodeAll(Buffer body, String brokerName) {
        List<TernMessage> out = new ArrayList<>();
        ByteBuffer nio = body instanceof BufferInternal bi ? bi.getByteBuf().nioBuffer(0, body.length())
                : ByteBuffer.wrap(body.getBytes());
        StoredRecordLayout.View record = new StoredRecordLayout.View();
        int pos = 0;
        int len = body.length();
        while (pos < len) {
            if (!record.wrap(nio, pos, len)) {
                LOG.warn("malformed or truncated record at {} of a {}-byte pull body from {}", pos, len, brokerName);
                break;
            }
            out.add(decode(body, record, brokerName));
            pos += record.totalSize();
        }
        return out;
    }

    /** The message of the record {@code record} is wrapped around, whose bytes are those of {@code b}. */
    private static TernMessage decode(Buffer b, StoredRecordLayout.View record, String brokerName) {
        int sysFlag = record.sysFlag();
        String topic = record.topic();
        Map<String, String> props = MessageProperties.parse(record.properties());
        Buffer messageBody = b.slice(record.bodyOffset(), record.bodyOffset() + record.bodyLength());
        if ((sysFlag & MessageSysFlag.COMPRESSED) != 0) {
            if (BodyCompression.canDecompress(sysFlag)) {
                messageBody = Buffer.buffer(BodyCompression.decompress(messageBody.getBytes()));
            } else {
                LOG.warn("message at {} of {} is compressed with an unsupported type (sysFlag {}): body left as is",
                        record.queueOffset(), topic, Integer.toHexString(sysFlag));
            }
        }
        long physicalOffset = record.physicalOffset();
        String offsetMsgId = MessageIds.offsetMsgId(record.storeHostAddress(), record.storeHostPort(),
                physicalOffset);
        String uniqKey = props.get(MessageConst.UNIQ_KEY);
        MessageReceipt receipt = new MessageReceipt(uniqKey != null ? uniqKey : offsetMsgId, offsetMsgId, brokerName,
                record.queueId(), record.queueOffset(), physicalOffset, record.bornTimestamp(),
                record.storeTimestamp(), record.reconsumeTimes(), sysFlag);
        return TernMessage.received(topic, messageBody, record.flag(), props, receipt);
    }

    private StoredMessageDecoder() {
    }
}

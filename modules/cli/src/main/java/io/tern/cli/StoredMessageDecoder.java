package io.tern.cli;

import io.tern.common.message.MessageIds;
import io.tern.common.message.MessageProperties;
import io.tern.common.message.MessageSysFlag;
import io.tern.common.message.StoredRecordLayout;
import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * Turns the stored records (spec 5.3; layout owned by {@link StoredRecordLayout}) of VIEW_MESSAGE_BY_ID and
 * QUERY_MESSAGE bodies into {@link StoredMessage}s for printing: hosts as text, properties as a map, zlib bodies
 * inflated.
 *
 * <p>Stateless and thread-safe.
 */
public final class StoredMessageDecoder {
    private static final int COMPRESSION_TYPE_MASK = 0x700;
    private static final int COMPRESSION_ZLIB = 3;

    private StoredMessageDecoder() {
    }

    /** Every message in {@code bytes} (records concatenated); stops at a truncated or foreign record. */
    public static List<StoredMessage> decodeAll(byte[] bytes) {
        List<StoredMessage> messages = new ArrayList<>();
        if (bytes == null) {
            return messages;
        }
        ByteBuffer buf = ByteBuffer.wrap(bytes);
        StoredRecordLayout.View record = new StoredRecordLayout.View();
        int pos = 0;
        while (record.wrap(buf, pos, bytes.length)) {
            messages.add(decode(record));
            pos += record.totalSize();
        }
        return messages;
    }

    private static StoredMessage decode(StoredRecordLayout.View record) {
        int sysFlag = record.sysFlag();
        byte[] stored = new byte[record.bodyLength()];
        record.body().get(stored);
        byte[] body = stored;
        String bodyNote = null;
        if ((sysFlag & MessageSysFlag.COMPRESSED) != 0) {
            int type = (sysFlag & COMPRESSION_TYPE_MASK) >> 8;
            if (type == 0 || type == COMPRESSION_ZLIB) {
                body = inflate(stored);
                bodyNote = body == null ? "zlib body could not be inflated" : null;
                body = body == null ? stored : body;
            } else {
                bodyNote = "body compressed with " + (type == 1 ? "LZ4" : type == 2 ? "ZSTD" : "type " + type)
                        + ", shown as stored";
            }
        }
        byte[] storeIp = record.storeHostAddress();
        int storePort = record.storeHostPort();
        return new StoredMessage(record.topic(), record.queueId(), record.flag(), record.queueOffset(),
                record.physicalOffset(), sysFlag, record.bornTimestamp(),
                address(record.bornHostAddress(), record.bornHostPort()), record.storeTimestamp(),
                address(storeIp, storePort), record.reconsumeTimes(), record.preparedTransactionOffset(),
                record.bodyCrc(), body, bodyNote, MessageProperties.parse(record.properties()),
                MessageIds.offsetMsgId(storeIp, storePort, record.physicalOffset()));
    }

    private static String address(byte[] ip, int port) {
        try {
            return InetAddress.getByAddress(ip).getHostAddress() + ":" + port;
        } catch (UnknownHostException e) {
            return Arrays.toString(ip) + ":" + port;
        }
    }

    private static byte[] inflate(byte[] compressed) {
        Inflater inflater = new Inflater();
        try {
            inflater.setInput(compressed);
            ByteArrayOutputStream out = new ByteArrayOutputStream(compressed.length * 2);
            byte[] chunk = new byte[4096];
            while (!inflater.finished()) {
                int n = inflater.inflate(chunk);
                if (n == 0 && (inflater.needsInput() || inflater.needsDictionary())) {
                    return null;
                }
                out.write(chunk, 0, n);
            }
            return out.toByteArray();
        } catch (DataFormatException e) {
            return null;
        } finally {
            inflater.end();
        }
    }
}

package io.tern.cli;

import io.tern.common.message.MessageIds;
import io.tern.common.message.MessageProperties;
import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * Decodes messages in the stored / wire format (spec 5.3), as found in VIEW_MESSAGE_BY_ID and QUERY_MESSAGE
 * bodies. Kept in the CLI so it does not depend on broker or store code.
 *
 * <pre>
 *  offset  size  field
 *  0       4     TOTALSIZE (whole record)
 *  4       4     MAGICCODE 0xDAA320A7 (v1) | 0xDAA320AB (v2: 2-byte topic length)
 *  8       4     BODYCRC
 *  12      4     QUEUEID
 *  16      4     FLAG
 *  20      8     QUEUEOFFSET
 *  28      8     PHYSICALOFFSET
 *  36      4     SYSFLAG
 *  40      8     BORNTIMESTAMP
 *  48      8|20  BORNHOST   (ip + port; 16-byte ip when SYSFLAG &amp; 0x10)
 *  ..      8     STORETIMESTAMP
 *  ..      8|20  STOREHOST  (16-byte ip when SYSFLAG &amp; 0x20)
 *  ..      4     RECONSUMETIMES
 *  ..      8     PREPARED TRANSACTION OFFSET
 *  ..      4+n   BODY length + BODY
 *  ..      1+t   TOPIC length (signed byte; v2: 2 bytes) + TOPIC
 *  ..      2+p   PROPERTIES length (short) + PROPERTIES
 * </pre>
 *
 * <p>Stateless and thread-safe.
 */
public final class StoredMessageDecoder {
    public static final int MAGIC_V1 = 0xDAA320A7;
    public static final int MAGIC_V2 = 0xDAA320AB;
    private static final int SYSFLAG_COMPRESSED = 0x1;
    private static final int SYSFLAG_BORNHOST_V6 = 0x10;
    private static final int SYSFLAG_STOREHOST_V6 = 0x20;
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
        while (buf.remaining() >= 8) {
            int start = buf.position();
            int totalSize = buf.getInt(start);
            int magic = buf.getInt(start + 4);
            if (totalSize <= 0 || totalSize > buf.remaining() || (magic != MAGIC_V1 && magic != MAGIC_V2)) {
                break;
            }
            messages.add(decode(ByteBuffer.wrap(bytes, start, totalSize).slice()));
            buf.position(start + totalSize);
        }
        return messages;
    }

    /** One record starting at the buffer's position. */
    public static StoredMessage decode(ByteBuffer buf) {
        buf.getInt(); // total size
        int magic = buf.getInt();
        int bodyCrc = buf.getInt();
        int queueId = buf.getInt();
        int flag = buf.getInt();
        long queueOffset = buf.getLong();
        long physicalOffset = buf.getLong();
        int sysFlag = buf.getInt();
        long bornTimestamp = buf.getLong();
        String bornHost = host(buf, (sysFlag & SYSFLAG_BORNHOST_V6) != 0);
        long storeTimestamp = buf.getLong();
        byte[] storeIp = new byte[(sysFlag & SYSFLAG_STOREHOST_V6) != 0 ? 16 : 4];
        buf.get(storeIp);
        int storePort = buf.getInt();
        int reconsumeTimes = buf.getInt();
        long preparedTxOffset = buf.getLong();
        byte[] stored = new byte[buf.getInt()];
        buf.get(stored);
        int topicLength = magic == MAGIC_V2 ? buf.getShort() : buf.get();
        byte[] topic = new byte[topicLength];
        buf.get(topic);
        byte[] properties = new byte[buf.getShort()];
        buf.get(properties);

        byte[] body = stored;
        String bodyNote = null;
        if ((sysFlag & SYSFLAG_COMPRESSED) != 0) {
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
        return new StoredMessage(new String(topic, StandardCharsets.UTF_8), queueId, flag, queueOffset,
                physicalOffset, sysFlag, bornTimestamp, bornHost, storeTimestamp, address(storeIp, storePort),
                reconsumeTimes, preparedTxOffset, bodyCrc, body, bodyNote,
                MessageProperties.parse(new String(properties, StandardCharsets.UTF_8)),
                MessageIds.offsetMsgId(storeIp, storePort, physicalOffset));
    }

    private static String host(ByteBuffer buf, boolean v6) {
        byte[] ip = new byte[v6 ? 16 : 4];
        buf.get(ip);
        return address(ip, buf.getInt());
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

package io.tern.broker.send;

import io.tern.remoting.protocol.RemotingProtocolException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Splits a SEND_BATCH_MESSAGE body (spec 5.2) into its records. Bodies are views of the request body, not copies.
 *
 * <pre>
 *  0          4          8          12         16         20                 20+n      22+n
 *  +----------+----------+----------+----------+----------+------------------+---------+-------------+
 *  | TOTALSIZE| MAGIC (0)| BODYCRC  | FLAG     | BODY len | BODY (n)         | PROPLEN | PROPERTIES  |
 *  +----------+----------+----------+----------+----------+------------------+---------+-------------+
 *  TOTALSIZE = 22 + n + propertiesLength (short, signed)
 * </pre>
 */
public final class BatchDecoder {
    static final int FIXED_BYTES = 22;

    public record Record(int flag, ByteBuffer body, String properties) {
    }

    private BatchDecoder() {
    }

    public static List<Record> decode(ByteBuffer batch) {
        List<Record> records = new ArrayList<>();
        ByteBuffer b = batch.duplicate();
        while (b.hasRemaining()) {
            int start = b.position();
            if (b.remaining() < FIXED_BYTES) {
                throw new RemotingProtocolException("truncated batch record at " + start);
            }
            int total = b.getInt();
            b.getInt(); // magic, unused
            b.getInt(); // body crc, recomputed by the store
            int flag = b.getInt();
            int bodyLen = b.getInt();
            if (bodyLen < 0 || bodyLen > b.remaining() - 2) {
                throw new RemotingProtocolException("bad body length " + bodyLen + " in batch record at " + start);
            }
            ByteBuffer body = b.slice(b.position(), bodyLen);
            b.position(b.position() + bodyLen);
            int propsLen = b.getShort();
            if (propsLen < 0 || propsLen > b.remaining()) {
                throw new RemotingProtocolException("bad properties length in batch record at " + start);
            }
            byte[] props = new byte[propsLen];
            b.get(props);
            if (total != b.position() - start) {
                throw new RemotingProtocolException("batch record size " + total + " does not match its fields at "
                        + start);
            }
            records.add(new Record(flag, body, new String(props, StandardCharsets.UTF_8)));
        }
        return records;
    }
}

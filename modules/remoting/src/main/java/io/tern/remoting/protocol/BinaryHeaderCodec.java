package io.tern.remoting.protocol;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * ROCKETMQ binary header codec, serialize type 1 (spec 1.5).
 *
 * <pre>
 *  0      2    3        5        9        13           17               17+r        21+r
 *  +------+----+--------+--------+--------+------------+----------------+-----------+--------------------+
 *  | code |lang| version| opaque |  flag  | remarkLen  | remark (UTF-8) |  extLen   | ext fields         |
 *  +------+----+--------+--------+--------+------------+----------------+-----------+--------------------+
 *  ext field: short keyLen, key, int valueLen, value (UTF-8); extLen 0 = no ext map (null, not empty)
 * </pre>
 */
final class BinaryHeaderCodec {
    private static final int FIXED_BYTES = 2 + 1 + 2 + 4 + 4 + 4 + 4;

    static byte[] encode(RemotingCommand cmd) {
        byte[] remark = cmd.remark() == null ? null : cmd.remark().getBytes(StandardCharsets.UTF_8);
        int extLen = 0;
        Map<String, String> ext = cmd.extFields();
        byte[][] extBytes = null;
        if (ext != null && !ext.isEmpty()) {
            extBytes = new byte[ext.size() * 2][];
            int i = 0;
            for (Map.Entry<String, String> e : ext.entrySet()) {
                if (e.getKey() == null || e.getValue() == null) {
                    continue;
                }
                extBytes[i] = e.getKey().getBytes(StandardCharsets.UTF_8);
                extBytes[i + 1] = e.getValue().getBytes(StandardCharsets.UTF_8);
                extLen += 2 + extBytes[i].length + 4 + extBytes[i + 1].length;
                i += 2;
            }
        }
        ByteBuffer buf = ByteBuffer.allocate(FIXED_BYTES + (remark == null ? 0 : remark.length) + extLen);
        buf.putShort((short) cmd.code());
        buf.put(LanguageCode.code(LanguageCode.JAVA));
        buf.putShort((short) cmd.version());
        buf.putInt(cmd.opaque());
        buf.putInt(cmd.flag());
        if (remark == null) {
            buf.putInt(0);
        } else {
            buf.putInt(remark.length).put(remark);
        }
        buf.putInt(extLen);
        if (extBytes != null) {
            for (int i = 0; i < extBytes.length && extBytes[i] != null; i += 2) {
                buf.putShort((short) extBytes[i].length).put(extBytes[i]);
                buf.putInt(extBytes[i + 1].length).put(extBytes[i + 1]);
            }
        }
        return buf.array();
    }

    /** Every length and every fixed field is checked against the bytes left before it is read. */
    static RemotingCommand decode(byte[] bytes, int offset, int length) {
        ByteBuffer buf = ByteBuffer.wrap(bytes, offset, length);
        if (length < FIXED_BYTES) {
            throw new FrameTooLargeException("binary header shorter than " + FIXED_BYTES + " bytes");
        }
        RemotingCommand cmd = new RemotingCommand();
        cmd.serializeType(SerializeType.ROCKETMQ);
        cmd.code(buf.getShort());
        cmd.language(LanguageCode.name(buf.get()));
        cmd.version(buf.getShort());
        cmd.opaque(buf.getInt());
        cmd.flag(buf.getInt());
        int remarkLen = checkedLength(buf.getInt(), buf, length);
        if (remarkLen > 0) {
            cmd.remark(new String(bytes, buf.position(), remarkLen, StandardCharsets.UTF_8));
            buf.position(buf.position() + remarkLen);
        }
        int extLen = checkedLength(readInt(buf), buf, length);
        if (extLen > 0) {
            Map<String, String> ext = new HashMap<>(16);
            int end = buf.position() + extLen;
            while (buf.position() < end) {
                int keyLen = checkedLength(readShort(buf, end), buf, end - buf.position());
                String key = new String(bytes, buf.position(), keyLen, StandardCharsets.UTF_8);
                buf.position(buf.position() + keyLen);
                int valueLen = checkedLength(readInt(buf, end), buf, end - buf.position());
                String value = new String(bytes, buf.position(), valueLen, StandardCharsets.UTF_8);
                buf.position(buf.position() + valueLen);
                ext.put(key, value);
            }
            cmd.extFields(ext);
        }
        return cmd;
    }

    private static int readInt(ByteBuffer buf) {
        return readInt(buf, buf.limit());
    }

    /** An int that must end at or before {@code end}. */
    private static int readInt(ByteBuffer buf, int end) {
        if (end - buf.position() < 4) {
            throw new FrameTooLargeException("binary header ends inside a length field");
        }
        return buf.getInt();
    }

    private static short readShort(ByteBuffer buf, int end) {
        if (end - buf.position() < 2) {
            throw new FrameTooLargeException("binary header ends inside a length field");
        }
        return buf.getShort();
    }

    /** {@code len} when it is not negative and fits both the bytes left and {@code bound}. */
    private static int checkedLength(int len, ByteBuffer buf, int bound) {
        if (len < 0 || len > buf.remaining() || len > bound) {
            throw new FrameTooLargeException("binary header field length " + len + " past the header");
        }
        return len;
    }

    private BinaryHeaderCodec() {
    }
}

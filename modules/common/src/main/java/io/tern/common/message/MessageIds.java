package io.tern.common.message;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;

/**
 * Offset message ids (spec 5.4.1): upper-case hex of store host address, store port and commit-log offset.
 *
 * <pre>
 *  0          4          8                  16   (IPv4; IPv6 has a 16-byte address)
 *  +----------+----------+------------------+
 *  | ip       | port     | physical offset  |
 *  +----------+----------+------------------+
 * </pre>
 */
public final class MessageIds {
    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    public static String offsetMsgId(byte[] storeHostAddress, int storePort, long physicalOffset) {
        ByteBuffer buf = ByteBuffer.allocate(storeHostAddress.length + 12);
        buf.put(storeHostAddress).putInt(storePort).putLong(physicalOffset);
        return hex(buf.array());
    }

    public static String hex(byte[] bytes) {
        char[] out = new char[bytes.length * 2];
        for (int i = 0; i < bytes.length; i++) {
            out[i * 2] = HEX[(bytes[i] >> 4) & 0xF];
            out[i * 2 + 1] = HEX[bytes[i] & 0xF];
        }
        return new String(out);
    }

    public static byte[] unhex(String hex) {
        byte[] out = new byte[hex.length() / 2];
        for (int i = 0; i < out.length; i++) {
            out[i] = (byte) Integer.parseInt(hex, i * 2, i * 2 + 2, 16);
        }
        return out;
    }

    /** Commit-log offset inside an offset msg id; throws IllegalArgumentException when malformed. */
    public static long physicalOffset(String offsetMsgId) {
        if (offsetMsgId == null || (offsetMsgId.length() != 32 && offsetMsgId.length() != 56)) {
            throw new IllegalArgumentException("not an offset message id: " + offsetMsgId);
        }
        return ByteBuffer.wrap(unhex(offsetMsgId)).getLong(offsetMsgId.length() == 32 ? 8 : 20);
    }

    public static InetSocketAddress storeHost(String offsetMsgId) {
        byte[] raw = unhex(offsetMsgId);
        int ipLen = offsetMsgId.length() == 32 ? 4 : 16;
        byte[] ip = new byte[ipLen];
        System.arraycopy(raw, 0, ip, 0, ipLen);
        int port = ByteBuffer.wrap(raw).getInt(ipLen);
        try {
            return new InetSocketAddress(InetAddress.getByAddress(ip), port);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(e);
        }
    }

    private MessageIds() {
    }
}

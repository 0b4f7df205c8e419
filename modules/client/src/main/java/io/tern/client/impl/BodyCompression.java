package io.tern.client.impl;

import io.tern.common.message.MessageSysFlag;
import java.io.ByteArrayOutputStream;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;

/**
 * Message body compression as the 4.9.4+ clients do it (spec 5.1.1): zlib stream (Deflater level 5), sysFlag
 * COMPRESSED plus compression type ZLIB in bits 8–10. On receipt, type 0 (pre-4.9.4 clients) also means zlib;
 * LZ4 and ZSTD bodies are not supported and stay compressed.
 */
final class BodyCompression {
    static final int COMPRESS_OVER_BYTES = 4096;
    static final int LEVEL = 5;
    static final int TYPE_MASK = 0x700;
    static final int TYPE_ZLIB = 0x300;
    /** sysFlag of a zlib-compressed send: 0x301 = 769. */
    static final int ZLIB_SYS_FLAG = MessageSysFlag.COMPRESSED | TYPE_ZLIB;

    static byte[] compress(byte[] body) {
        Deflater deflater = new Deflater(LEVEL);
        try {
            deflater.setInput(body);
            deflater.finish();
            ByteArrayOutputStream out = new ByteArrayOutputStream(Math.max(64, body.length / 4));
            byte[] chunk = new byte[8192];
            while (!deflater.finished()) {
                int n = deflater.deflate(chunk);
                out.write(chunk, 0, n);
            }
            return out.toByteArray();
        } finally {
            deflater.end();
        }
    }

    /** True when a received body with {@code sysFlag} can be inflated here. */
    static boolean canDecompress(int sysFlag) {
        int type = sysFlag & TYPE_MASK;
        return type == 0 || type == TYPE_ZLIB;
    }

    static byte[] decompress(byte[] body) {
        Inflater inflater = new Inflater();
        try {
            inflater.setInput(body);
            ByteArrayOutputStream out = new ByteArrayOutputStream(body.length * 4);
            byte[] chunk = new byte[8192];
            while (!inflater.finished()) {
                int n = inflater.inflate(chunk);
                if (n == 0 && (inflater.needsInput() || inflater.needsDictionary())) {
                    throw new IllegalArgumentException("truncated zlib body");
                }
                out.write(chunk, 0, n);
            }
            return out.toByteArray();
        } catch (DataFormatException e) {
            throw new IllegalArgumentException("malformed zlib body: " + e.getMessage(), e);
        } finally {
            inflater.end();
        }
    }

    private BodyCompression() {
    }
}

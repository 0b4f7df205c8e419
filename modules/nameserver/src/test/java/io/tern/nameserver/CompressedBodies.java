package io.tern.nameserver;

import io.tern.common.Json;
import io.tern.common.protocol.DataVersion;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;

/** Writes the compressed REGISTER_BROKER body the way a 4.9 broker with compressedRegister does (spec 4.2.3). */
final class CompressedBodies {
    private CompressedBodies() {
    }

    static byte[] encode(long counter, String... topicTexts) throws IOException {
        DataVersion version = new DataVersion();
        version.counter = counter;
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(
                new DeflaterOutputStream(bytes, new Deflater(Deflater.BEST_COMPRESSION)))) {
            writeBlock(out, Json.toBytes(version));
            out.writeInt(topicTexts.length);
            for (String t : topicTexts) {
                writeBlock(out, t.getBytes(StandardCharsets.UTF_8));
            }
            writeBlock(out, "[]".getBytes(StandardCharsets.UTF_8));
        }
        return bytes.toByteArray();
    }

    static int crc32(byte[] body) {
        CRC32 crc = new CRC32();
        crc.update(body);
        return (int) (crc.getValue() & 0x7FFFFFFF);
    }

    private static void writeBlock(DataOutputStream out, byte[] block) throws IOException {
        out.writeInt(block.length);
        out.write(block);
    }
}
